import { readFile } from 'node:fs/promises'
import { expect } from 'chai'
import * as core from '../src/index.js'

const SOURCES = ['../src/upgrader/upgrader.ts', '../src/upgrader/inbound-admission.ts', '../src/node/node.ts']

describe('defaults', () => {
  it('have the documented values', () => {
    expect(core.DEFAULT_UPGRADE_TIMEOUT).to.equal(10_000)
    expect(core.DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT).to.equal(5_000)
    expect(core.DEFAULT_CONNECTION_CLOSE_TIMEOUT).to.equal(1_000)
    expect(core.DEFAULT_DIAL_TIMEOUT).to.equal(30_000)
    expect(core.DEFAULT_MAX_INBOUND_STREAMS).to.equal(32)
    expect(core.DEFAULT_MAX_OUTBOUND_STREAMS).to.equal(64)
    expect(core.DEFAULT_MAX_PENDING_INBOUND_UPGRADES).to.equal(32)
    expect(core.DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST).to.equal(8)
    expect(core.DEFAULT_MAX_INBOUND_UPGRADES_PER_HOST_PER_SECOND).to.equal(100)
    expect(core.DEFAULT_MAX_STREAM_READ_BUFFER).to.equal(32 * 1024 * 1024)
  })

  it('are what every `@default` tag names, with the value it quotes', async () => {
    let tags = 0

    for (const source of SOURCES) {
      // the compiled test runs from dist/test, the sources sit beside dist
      const text = await readFile(new URL(`../${source}`, import.meta.url), 'utf8')

      for (const [, name, quoted] of text.matchAll(/@default (DEFAULT_[A-Z_]+) \(([\d ]+)\)/g)) {
        tags++
        expect(core, `${source} names ${name}`).to.have.property(name as string)
        expect((core as Record<string, unknown>)[name as string], `${source}: ${name}`).to.equal(Number(quoted?.replaceAll(' ', '')))
      }
    }

    expect(tags).to.be.at.least(7)
  })
})
