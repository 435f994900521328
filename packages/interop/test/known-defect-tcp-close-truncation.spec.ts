// KNOWN DEFECT (found against the Go SECIO peer; @uplink/tcp, not fixed here): close() on a TCP
// connection half-closes and waits `closeTimeout` (1 s by default) for the remote to finish, then
// destroys the socket — even while the remote is still sending. The reader then sees a CLEAN end
// with the rest of the remote's data missing, which breaks the promise "only a remote's clean
// half-close is a clean end". Through SECIO it shows as an UnexpectedEOFError when the cut falls
// inside a frame (seen once in three runs of go-secio.spec.ts' 24 MiB echo, when it still
// half-closed right after sending), and as silent truncation when it falls between frames.
//
// This test fails on the current code. It is pending unless UPLINK_KNOWN_DEFECTS=1, so the suite
// stays green until @uplink/tcp is fixed; then drop the gate and keep it as the regression test.
import net from 'node:net'
import { defaultLogger } from '@libp2p/logger'
import { tcp } from '@uplink/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import type { Connection, MultiaddrConnection, Upgrader } from '@libp2p/interface'

const RUN = process.env.UPLINK_KNOWN_DEFECTS === '1'
const CLOSE_TIMEOUT = 50
const ANSWER_CHUNKS = 20
const ANSWER_CHUNK = 1024

/** An upgrader that hands the raw connection to the test and upgrades nothing. */
function rawUpgrader (onConnection: (maConn: MultiaddrConnection) => void): Upgrader {
  return {
    upgradeOutbound: async (maConn: MultiaddrConnection) => {
      onConnection(maConn)
      return {} as unknown as Connection
    },
    upgradeInbound: async () => {},
    createInboundAbortSignal: (signal: AbortSignal) => Object.assign(signal, { clear () {} }),
    getConnectionEncrypters: () => new Map(),
    getStreamMuxers: () => new Map()
  } as unknown as Upgrader
}

/**
 * A remote that answers only after our FIN, and takes its time: one chunk every 10 ms, well past
 * our close timeout, then its own FIN.
 */
async function slowAnsweringServer (): Promise<{ server: net.Server, port: number }> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {})
    socket.resume()
    socket.once('end', () => {
      let sent = 0
      const timer = setInterval(() => {
        if (socket.destroyed) { clearInterval(timer); return }
        socket.write(new Uint8Array(ANSWER_CHUNK).fill(sent))
        if (++sent === ANSWER_CHUNKS) { clearInterval(timer); socket.end() }
      }, 10)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as net.AddressInfo).port }
}

describe('known defect: @uplink/tcp close() cuts off a remote that is still sending, and the reader sees a clean end', function () {
  this.timeout(20_000)

  before(function () {
    if (!RUN) {
      console.error('\n  !!! PENDING: known @uplink/tcp defect (see this file); UPLINK_KNOWN_DEFECTS=1 runs it (it fails until fixed)\n')
      this.skip()
    }
  })

  it('a half-closed connection delivers everything the remote sends before its FIN, or ends with a named error', async () => {
    const { server, port } = await slowAnsweringServer()
    try {
      let maConn: MultiaddrConnection | undefined
      await tcp({ closeTimeout: CLOSE_TIMEOUT })({ logger: defaultLogger() }).dial(multiaddr(`/ip4/127.0.0.1/tcp/${port}`), {
        signal: AbortSignal.timeout(5_000),
        upgrader: rawUpgrader(c => { maConn = c })
      })
      if (maConn == null) throw new Error('no connection')
      const conn = maConn

      let received = 0
      let ending = 'a clean end'
      const reading = (async () => {
        try {
          for await (const chunk of conn) received += chunk.byteLength
        } catch (err: any) {
          ending = `${String(err.name)}: ${String(err.message)}`
        }
      })()
      conn.send(Uint8Array.from([1]))
      await conn.close().catch(() => {})
      await reading

      const total = ANSWER_CHUNKS * ANSWER_CHUNK
      // all of it and a clean end, or less and a named error; never less and a clean end
      expect(received === total || ending !== 'a clean end', `received ${received} of ${total} bytes, then ${ending}`).to.equal(true)
    } finally {
      server.close()
    }
  })
})
