// Regression test (found against the Rust SECIO peer). When the remote half-closes (its FIN: Rust's
// `shutdown(Write)`, Python's `send_eof()`, Go's `CloseWrite()`), @uplink/tcp closes its own side once
// what is queued is out. A `close()` the application calls meanwhile used to return at once, the close
// timeout then cut the queued bytes, and the echo session resolved as a success while the remote got a
// RST mid-echo (6 rounds of 6). Now the close waits, no close timeout cuts the flush once the remote has
// finished, and a write the closing connection can no longer take fails the session with a named error.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DEFAULT_MAX_FRAME_LENGTH } from '@uplink/secio'
import { expect } from 'chai'
import { bareSecioEchoListener } from './fixtures/bare-secio.js'
import { identityKey } from './fixtures/identities.js'
import { setUpRustPeer, startRustPeer } from './fixtures/rust-peer.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import type { Listener } from '@libp2p/interface'

const MiB = 1024 * 1024
const BYTES = 24 * MiB + 17
/** The cut is silent in about 2 rounds of 3: six rounds make a green run by luck unlikely (≈ 0.1 %). */
const ROUNDS = 6

describe('a remote\'s FIN never lets @uplink/tcp drop bytes the application already sent, silently', function () {
  this.timeout(300_000)
  let listener: Listener | undefined

  before(async function () {
    await setUpRustPeer(this)
  })

  afterEach(async () => {
    await listener?.close()
    listener = undefined
    await SecioPeer.stopAll()
  })

  it('the Rust dialer half-closes after sending 24 MiB: either its whole echo arrives, or Uplink\'s echo session fails with a named error', async () => {
    const outcomes: string[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const key = await identityKey('ed25519')
      const bare = await bareSecioEchoListener(key, false)
      listener = bare.listener
      const rust = await startRustPeer({ mode: 'bare-secio-dial' })

      const result = await rust.tryDialEcho(`${bare.addr}/p2p/${peerIdFromPrivateKey(key).toString()}`, BYTES,
        { chunk: DEFAULT_MAX_FRAME_LENGTH - 32, closeWrite: 'after-send', timeoutMs: 100_000 })
      const session = await bare.sessions[0]?.then(() => 'success', (err: Error) => err.name)

      outcomes.push(`round ${round}: Rust's echo ${result.ok ? 'complete' : `cut after ${String(result.bytes)} of ${BYTES} bytes (${String(result.error)})`}; Uplink's session: ${String(session)}`)
      await listener.close()
      listener = undefined
      await rust.stop()
    }

    const silent = outcomes.filter(o => o.includes(' cut after ') && o.endsWith('session: success'))
    expect(silent, outcomes.join('\n')).to.deep.equal([])
  })
})
