import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect } from 'chai'

const run = promisify(execFile)
const REPLY = 'THE SAME APPLICATION, ANOTHER CRYPTO CHANNEL'

async function step (file: string): Promise<string> {
  const script = fileURLToPath(new URL(`../src/${file}`, import.meta.url))
  const { stdout } = await run(process.execPath, [script], { timeout: 30_000 })
  return stdout.trim()
}

describe('examples/swapping-crypto: one line changes the crypto channel', function () {
  this.timeout(30_000)

  it('1: plaintext', async () => {
    expect(await step('1-plaintext.js')).to.equal(`/plaintext/2.0.0 + /yamux/1.0.0: ${REPLY}`)
  })

  it('2: noise (the muxer agreed inside its handshake)', async () => {
    expect(await step('2-noise.js')).to.equal(`/noise + /yamux/1.0.0: ${REPLY}`)
  })

  it('3: TLS 1.3 (the muxer agreed by ALPN)', async () => {
    expect(await step('3-tls.js')).to.equal(`/tls/1.0.0 + /yamux/1.0.0: ${REPLY}`)
  })

  it('4: SECIO, with its negotiated suite', async () => {
    expect(await step('4-secio.js')).to.equal(`/secio/1.0.0 (P-256, AES-256, SHA256) + /yamux/1.0.0: ${REPLY}`)
  })
})
