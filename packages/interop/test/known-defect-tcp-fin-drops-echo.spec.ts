// KNOWN DEFECT (found against the Rust SECIO peer; @uplink/tcp, not fixed here). When the remote
// half-closes (its FIN: Rust's `shutdown(Write)`, Python's `send_eof()`, Go's `CloseWrite()`),
// @uplink/tcp's connection starts closing its own side at once (socket-to-conn.ts, onSocketEnd). A
// `close()` the application then calls returns at once (`status !== 'open'`), although up to several
// MiB it sent are still queued for a remote that reads slowly; `closeTimeout` (1 s) later the
// connection is aborted and the queued bytes are dropped: the remote gets a RST in the middle of the
// data. The application was told nothing: Uplink's echo session below resolves as a success. (In
// some rounds the FIN arrives while the echo still has bytes to send, and the echo's next send fails
// with a StreamStateError: not silent, but the echo is cut too.) Seen here in 6 rounds out of 6
// (4 silent, 2 StreamStateError): the Rust dialer sends 24 MiB in 8 MiB frames and half-closes, its
// echo stops after 2 to 21 MiB with "Connection reset by peer".
//
// This test fails on the current code. It is pending unless UPLINK_KNOWN_DEFECTS=1, so the suite
// stays green until @uplink/tcp is fixed; then drop the gate and keep it as the regression test.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DEFAULT_MAX_FRAME_LENGTH } from '@uplink/secio'
import { expect } from 'chai'
import { bareSecioEchoListener } from './fixtures/bare-secio.js'
import { identityKey } from './fixtures/identities.js'
import { setUpRustPeer, startRustPeer } from './fixtures/rust-peer.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import type { Listener } from '@libp2p/interface'

const RUN = process.env.UPLINK_KNOWN_DEFECTS === '1'
const MiB = 1024 * 1024
const BYTES = 24 * MiB + 17
/** The cut is silent in about 2 rounds of 3: six rounds make a green run by luck unlikely (≈ 0.1 %). */
const ROUNDS = 6

describe('KNOWN DEFECT: a remote\'s FIN lets @uplink/tcp drop bytes the application already sent, silently', function () {
  this.timeout(300_000)
  let listener: Listener | undefined

  before(async function () {
    if (!RUN) this.skip()
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
