import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect } from 'chai'

const run = promisify(execFile)

describe('examples/encrypted-communications', () => {
  it('sends the message over SECIO, shows the negotiated suite and refuses a wrong PeerId', async () => {
    const script = fileURLToPath(new URL('../src/index.js', import.meta.url))
    const { stdout } = await run(process.execPath, [script], { timeout: 30_000 })
    const lines = stdout.trim().split('\n')

    expect(lines[0]).to.match(/^node 1 dials \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW\w+$/)
    expect(lines[1]).to.equal('node 2 received: This information is sent out encrypted to the other peer')
    expect(lines[2]).to.equal('crypto /secio/1.0.0, curve P-256, cipher AES-256, hash SHA256, muxer /mplex/6.7.0')
    const impostor = /^dialing (12D3KooW\w+) at node 2's address/.exec(lines[3] ?? '')?.[1]
    const node2 = /\/p2p\/(12D3KooW\w+)$/.exec(lines[0] ?? '')?.[1]
    expect(lines[3]).to.equal(`dialing ${impostor} at node 2's address is refused: UnexpectedPeerError: dialed ${impostor} but the remote proved it is ${node2}`)
    expect(lines).to.have.lengthOf(4)
  })
})
