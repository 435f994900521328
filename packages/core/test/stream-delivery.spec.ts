// Delivered before the failure: every byte a stream received reaches the application, in order, then
// the end or the error, whether it iterates, listens to message events, or pauses and resumes.
import { yamux } from '@chainsafe/libp2p-yamux'
import { echo } from '@libp2p/utils'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { Uint8ArrayList } from 'uint8arraylist'
import { tcp } from '@uplink/tcp'
import { Node, createUpgrader } from '../src/index.js'
import { readOutcome } from './fixtures/outcome.js'
import { MUXERS, causeChain, proxiedPair } from './fixtures/proxied-pair.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { payload, roundTrip } from './fixtures/streams.js'
import { until } from './fixtures/tamper-proxy.js'
import type { ProxiedPair } from './fixtures/proxied-pair.js'
import type { Connection, StreamMessageEvent } from '@libp2p/interface'

const ECHO = '/echo/1.0.0'

function chunks (count: number, size: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i + 1))
}

function concat (parts: Uint8Array[]): Uint8Array {
  return new Uint8ArrayList(...parts).subarray()
}

describe('a stream delivers every byte it received, then its end or its error', () => {
  it('with @libp2p/utils echo() as the handler (it pauses under backpressure), a 256 KiB echo comes back whole', async () => {
    const [alice, bob] = await Promise.all([identity(), identity()])
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    listener.handle(ECHO, async (stream) => { await echo(stream) })
    const { outbound, inbound } = rawPair(bob.peerId)
    const opened = pEvent<'connection:open', CustomEvent<Connection>>(listener, 'connection:open')
    const signal = AbortSignal.timeout(10_000)
    const [connection] = await Promise.all([dialer.upgradeOutbound(outbound, { signal }), listener.upgradeInbound(inbound, { signal })])
    await opened

    const { bytes, chunks: pieces } = payload(256 * 1024)
    const echoed = await roundTrip(await connection.newStream(ECHO), pieces)
    expect(echoed.byteLength).to.equal(bytes.byteLength)
    expect(echoed).to.deep.equal(bytes)
    await connection.close()
  })

  for (const { name, module } of MUXERS) {
    it(`${name}: a handler that sends and closes at once is read whole, even when its bytes and its end arrive during the dialer's protocol negotiation`, async () => {
      const modules = { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [module()] } }
      const listener = new Node({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, modules })
      const dialer = new Node({ modules })
      listener.handle('/hello/1.0.0', async (stream) => {
        stream.send(new TextEncoder().encode('hello'))
        await stream.close()
      })
      await Promise.all([listener.start(), dialer.start()])

      try {
        for (let i = 0; i < 20; i++) {
          const stream = await dialer.dialProtocol(listener.getMultiaddrs(), '/hello/1.0.0')
          const outcome = await readOutcome(stream)
          expect(new TextDecoder().decode(outcome.bytes), `round ${i}`).to.equal('hello')
          expect(outcome.error).to.equal(undefined)
        }
      } finally {
        await Promise.all([dialer.stop(), listener.stop()])
      }
    })

    describe(name, () => {
      let pair: ProxiedPair | undefined

      afterEach(async () => {
        await pair?.stop()
        pair = undefined
      })

      it('frames before a tampered frame in the same read reach the reader, then the error', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy } = pair
        const sent = chunks(4, 20_000)
        const reading = readOutcome(local)

        proxy.hold('toDialer')
        for (const chunk of sent) {
          remote.send(chunk)
          // a turn of the event loop each, so each is a SECIO frame of its own (one turn's writes share a frame)
          await new Promise(resolve => setImmediate(resolve))
        }
        await until(() => proxy.held('toDialer') >= 80_000, 'all four chunks to reach the proxy')
        // the last byte held is the last frame's MAC: the first three frames verify, the fourth does not
        proxy.release('toDialer', (held) => {
          held.writeUInt8(held.readUInt8(held.byteLength - 1) ^ 0xff, held.byteLength - 1)
          return held
        })

        const outcome = await reading
        expect(outcome.error).to.have.property('name', 'ConnectionFailedError')
        expect(causeChain(outcome.error).map(err => err.name)).to.include('MacMismatchError')
        // everything before the bad frame, in order; the bad frame's chunk may be cut anywhere but never altered
        expect(outcome.bytes.byteLength).to.be.at.least(60_000)
        expect(outcome.bytes).to.deep.equal(concat(sent).subarray(0, outcome.bytes.byteLength))
      })

      it('a message-event reader that pauses gets every byte on resume, and the remote\'s end only after them', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote } = pair
        const sent = chunks(8, 16_000)
        const got = new Uint8ArrayList()
        const order: string[] = []

        local.addEventListener('message', (evt: StreamMessageEvent) => {
          got.append(evt.data)
          order.push('data')
          if (local.readStatus === 'readable') local.pause()
        })
        local.addEventListener('remoteCloseWrite', () => { order.push('remoteCloseWrite') })

        for (const chunk of sent) remote.send(chunk)
        await remote.close()
        await until(() => local.readBufferLength + got.byteLength >= 128_000, 'every byte to reach the paused stream')

        const ended = pEvent(local, 'remoteCloseWrite')
        local.resume()
        await ended

        expect(got.subarray()).to.deep.equal(concat(sent))
        expect(order.at(-1)).to.equal('remoteCloseWrite')
        expect(order.filter(event => event === 'remoteCloseWrite')).to.have.length(1)
      })

      it('an iterating reader that pauses while the remote half-closes gets every byte, then a clean end', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy } = pair
        const sent = chunks(8, 16_000)
        const got = new Uint8ArrayList()

        const reading = (async () => {
          for await (const chunk of local) {
            got.append(chunk)

            if (got.byteLength === chunk.byteLength) {
              // the first chunk: stop reading until the remote has sent everything and half-closed
              local.pause()
              await remote.close()
              // the rest, and the remote's end, reach this side while it is paused
              await until(() => proxy.forwarded.toDialer >= 128_000, 'every byte to pass the proxy')
              await new Promise(resolve => setTimeout(resolve, 50))
              local.resume()
            }
          }
        })()

        for (const chunk of sent) remote.send(chunk)
        await reading
        expect(got.subarray()).to.deep.equal(concat(sent))
      })

      it('a paused stream whose connection then dies still gives up what it received, then the failure', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy } = pair
        const sent = new Uint8Array(100_000).fill(7)

        local.pause()
        remote.send(sent)
        await until(() => local.readBufferLength >= sent.byteLength, 'the bytes to reach the paused stream')
        proxy.cut('rst')
        await until(() => pair?.connection.status !== 'open', 'the connection to die')

        local.resume()
        const outcome = await readOutcome(local)
        expect(outcome.bytes).to.deep.equal(sent)
        expect(outcome.error).to.have.property('name', 'ConnectionFailedError')
      })

      it('bytes that arrive before the application reads are kept for its first read', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote } = pair
        const sent = new Uint8Array(50_000).fill(3)

        remote.send(sent)
        await remote.close()
        await until(() => local.readBufferLength >= sent.byteLength, 'the bytes to arrive')

        const outcome = await readOutcome(local)
        expect(outcome.bytes).to.deep.equal(sent)
        expect(outcome.error).to.equal(undefined)
      })
    })
  }
})
