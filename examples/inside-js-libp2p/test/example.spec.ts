import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect } from 'chai'

const run = promisify(execFile)

describe('examples/inside-js-libp2p', () => {
  it('two createLibp2p nodes talk over @uplink/tcp and @uplink/secio', async () => {
    const script = fileURLToPath(new URL('../src/index.js', import.meta.url))
    const { stdout } = await run(process.execPath, [script], { timeout: 30_000 })

    expect(stdout.trim()).to.equal('hello alice (js-libp2p /secio/1.0.0 + /yamux/1.0.0 over @uplink/tcp)')
  })
})
