import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect } from 'chai'

const run = promisify(execFile)

async function example (file: string): Promise<string[]> {
  const script = fileURLToPath(new URL(`../src/${file}`, import.meta.url))
  const { stdout } = await run(process.execPath, [script], { timeout: 30_000 })
  return stdout.trim().split('\n')
}

describe('examples/protocol-and-stream-multiplexing', () => {
  it('1: node 2 receives a message on its own protocol', async () => {
    expect(await example('1-handle-a-protocol.js')).to.deep.equal(['my own protocol, wow!'])
  })

  it('2: three protocols over one connection', async () => {
    const lines = await example('2-several-protocols.js')
    expect(lines.slice(0, 3).sort()).to.deep.equal([
      'from 1 to 2 on protocol /a: protocol (a)',
      'from 1 to 2 on protocol /b: protocol (b)',
      'from 1 to 2 on protocol /c: protocol (c)'
    ])
    expect(lines[3]).to.equal('connections between the nodes: 1')
  })

  it('3: a stream in each direction', async () => {
    expect(await example('3-bidirectional.js')).to.deep.equal(['from 1 to 2', 'from 2 to 1'])
  })
})
