// No silent truncation: a stream whose connection ends abnormally (a SECIO MAC failure, a killed
// peer, a reset, an inactivity timeout) ends with a named error carrying that cause, for the reader
// and in its close event. Only the remote's clean half-close is a clean end. Yamux and mplex alike.
import { expect } from 'chai'
import { closeEvent, readOutcome, received } from './fixtures/outcome.js'
import { MUXERS, causeChain, proxiedPair } from './fixtures/proxied-pair.js'
import { until } from './fixtures/tamper-proxy.js'
import type { ProxiedPair } from './fixtures/proxied-pair.js'

const FIRST = new Uint8Array(40_000).fill(1)
const SECOND = new Uint8Array(40_000).fill(2)

/** Flips the last byte of what was held: the last frame's MAC, since every held frame is complete. */
function flipLastByte (held: Buffer): Buffer {
  held.writeUInt8(held.readUInt8(held.byteLength - 1) ^ 0xff, held.byteLength - 1)
  return held
}

describe('a stream ends with its connection\'s failure, never as if the remote had finished', () => {
  for (const { name, module } of MUXERS) {
    describe(name, () => {
      let pair: ProxiedPair | undefined

      afterEach(async () => {
        await pair?.stop()
        pair = undefined
      })

      it('a SECIO MAC failure: the reader gets what came before, then ConnectionFailedError caused by MacMismatchError', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy } = pair
        const reading = readOutcome(local)
        const closed = closeEvent(local)

        remote.send(FIRST)
        await received(local, FIRST.byteLength)
        proxy.hold('toDialer')
        const before = proxy.forwarded.toDialer
        remote.send(SECOND)
        await until(() => proxy.held('toDialer') >= SECOND.byteLength, 'the second chunk to reach the proxy')
        proxy.release('toDialer', flipLastByte)

        const outcome = await reading
        expect(proxy.forwarded.toDialer).to.be.greaterThan(before)
        expect(outcome.bytes).to.deep.equal(FIRST)
        expect(outcome.error).to.have.property('name', 'ConnectionFailedError')
        expect(causeChain(outcome.error).map(err => err.name)).to.include('MacMismatchError')
        const event = await closed
        expect(event.error).to.have.property('name', 'ConnectionFailedError')
        expect(local.status).to.not.equal('open')
      })

      it('a killed peer (TCP reset): ConnectionFailedError caused by the reset', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy } = pair
        const reading = readOutcome(local)
        const closed = closeEvent(local)

        remote.send(FIRST)
        await received(local, FIRST.byteLength)
        proxy.cut('rst')

        const outcome = await reading
        expect(outcome.bytes).to.deep.equal(FIRST)
        expect(outcome.error).to.have.property('name', 'ConnectionFailedError')
        expect(causeChain(outcome.error).map(err => err.name)).to.include('StreamResetError')
        expect((await closed).error).to.have.property('name', 'ConnectionFailedError')
      })

      it('a peer gone without closing its streams (TCP FIN at a frame boundary): ConnectionClosedError', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy } = pair
        const reading = readOutcome(local)
        const closed = closeEvent(local)

        remote.send(FIRST)
        await received(local, FIRST.byteLength)
        proxy.cut('fin')

        const outcome = await reading
        expect(outcome.bytes).to.deep.equal(FIRST)
        expect(outcome.error).to.have.property('name', 'ConnectionClosedError')
        expect((await closed).error).to.have.property('name', 'ConnectionClosedError')
      })

      it('an inactivity timeout: ConnectionFailedError caused by the TimeoutError', async () => {
        pair = await proxiedPair({ muxer: module, dialerTcp: { inactivityTimeout: 300 } })
        const { local, remote, proxy } = pair
        const reading = readOutcome(local)

        remote.send(FIRST)
        await received(local, FIRST.byteLength)
        proxy.stall()

        const outcome = await reading
        expect(outcome.bytes).to.deep.equal(FIRST)
        expect(outcome.error).to.have.property('name', 'ConnectionFailedError')
        expect(causeChain(outcome.error).map(err => err.name)).to.include('TimeoutError')
      })

      it('the remote\'s clean half-close stays a clean end, with no error on close', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote } = pair
        const reading = readOutcome(local)
        const closed = closeEvent(local)

        remote.send(FIRST)
        await remote.close()
        const outcome = await reading
        expect(outcome.bytes).to.deep.equal(FIRST)
        expect(outcome.error).to.equal(undefined)

        await local.close()
        expect((await closed).error).to.equal(undefined)
      })

      it('a remote reset of one stream is a StreamResetError and leaves the connection open', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, connection } = pair
        const reading = readOutcome(local)

        remote.send(FIRST)
        await received(local, FIRST.byteLength)
        remote.abort(new Error('the remote gave up on this stream'))

        const outcome = await reading
        expect(outcome.bytes).to.deep.equal(FIRST)
        expect(outcome.error).to.have.property('name', 'StreamResetError')
        expect(connection.status).to.equal('open')
      })

      it('the connection\'s close event carries the first cause too', async () => {
        pair = await proxiedPair({ muxer: module })
        const { local, remote, proxy, connection } = pair
        const connectionClosed = new Promise<any>(resolve => { connection.addEventListener('close', resolve, { once: true }) })

        remote.send(FIRST)
        await received(local, FIRST.byteLength)
        proxy.hold('toDialer')
        remote.send(SECOND)
        await until(() => proxy.held('toDialer') >= SECOND.byteLength, 'the second chunk to reach the proxy')
        proxy.release('toDialer', flipLastByte)

        expect((await connectionClosed).error).to.have.property('name', 'MacMismatchError')
      })
    })
  }
})
