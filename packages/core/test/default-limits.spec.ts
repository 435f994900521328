// What each default limit does when the user sets none: the last admitted one gets through and the
// next is refused with the named error. (The constants test only compares the docs with the
// constants; these fail when the code uses another value.)
import { mplex } from '@libp2p/mplex'
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { createUpgrader } from '../src/index.js'
import { eventually, onFakeClock } from './fixtures/fake-clock.js'
import { readOutcome } from './fixtures/outcome.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import type { MuxerModule, UplinkConnection, UplinkUpgrader } from '../src/index.js'
import type { Identity } from './fixtures/raw-pair.js'
import type { MultiaddrConnection, Stream } from '@libp2p/interface'

const PROTOCOL = '/hold/1.0.0'
const MiB = 1024 * 1024

/** An upgrader given no limits: every limit is the default. */
function defaultUpgrader (id: Identity, muxer: MuxerModule = yamux()): UplinkUpgrader {
  return createUpgrader({ privateKey: id.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [muxer] })
}

/** The inbound end of an in-memory raw connection that seems to come from `host`. */
function fromHost (host: string): MultiaddrConnection {
  const { inbound } = rawPair()
  Object.defineProperty(inbound, 'remoteAddr', { value: inbound.remoteAddr.decapsulate('/ip4').encapsulate(`/ip4/${host}/tcp/4001`) })
  return inbound
}

/**
 * What an upgrade came to by the time the event loop turns once: a refusal
 * rejects at once (before any byte is read), an admitted upgrade is still
 * running.
 */
async function atOnce (upgrade: Promise<void>): Promise<Error | 'running'> {
  const settled = upgrade.then(() => new Error('the upgrade of a silent connection succeeded'), (err: Error) => err)
  return Promise.race([settled, new Promise<'running'>(resolve => setImmediate(() => { resolve('running') }))])
}

async function upgradedPair (dialer: UplinkUpgrader, listener: UplinkUpgrader, listenerId: Identity): Promise<UplinkConnection> {
  const { outbound, inbound } = rawPair(listenerId.peerId)
  const opened = pEvent(listener, 'connection:open')
  const signal = AbortSignal.timeout(10_000)
  const [connection] = await Promise.all([dialer.upgradeOutbound(outbound, { signal }), listener.upgradeInbound(inbound, { signal })])
  await opened
  return connection
}

describe('default limits, as the user gets them when they set none', () => {
  let alice: Identity
  let bob: Identity

  before(async () => {
    [alice, bob] = await Promise.all([identity(), identity()])
  })

  describe('inbound upgrades', () => {
    it('maxPending: 32 upgrades from 32 hosts pend at once; the 33rd is refused with limit "pending"', async () => {
      const upgrader = defaultUpgrader(bob)
      const caller = new AbortController()
      const admitted = await Promise.all(Array.from({ length: 32 }, async (_, i) => atOnce(upgrader.upgradeInbound(fromHost(`10.0.${i}.1`), { signal: caller.signal }))))
      expect(admitted.filter(outcome => outcome === 'running')).to.have.lengthOf(32)
      expect(upgrader.pendingInboundUpgrades).to.equal(32)

      const refused = await atOnce(upgrader.upgradeInbound(fromHost('10.1.0.1'), { signal: caller.signal }))
      expect(refused).to.have.property('name', 'InboundUpgradeRefusedError')
      expect(refused).to.have.property('limit', 'pending')
      caller.abort()
    })

    it('maxPendingPerHost: 8 upgrades from one host pend at once; its 9th is refused with limit "pending-per-host"', async () => {
      const upgrader = defaultUpgrader(bob)
      const caller = new AbortController()
      const admitted = await Promise.all(Array.from({ length: 8 }, async () => atOnce(upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: caller.signal }))))
      expect(admitted.filter(outcome => outcome === 'running')).to.have.lengthOf(8)

      const refused = await atOnce(upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: caller.signal }))
      expect(refused).to.have.property('name', 'InboundUpgradeRefusedError')
      expect(refused).to.have.property('limit', 'pending-per-host')
      caller.abort()
    })

    it('maxPerHostPerSecond: one host gets 100 upgrades within a second; its 101st is refused with limit "rate-per-host"', async () => {
      // the clock stands still, so all 101 fall in one second however slow the machine
      await onFakeClock(async () => {
        const upgrader = defaultUpgrader(bob)
        const outcomes: Array<Error | 'running'> = []

        for (let i = 0; i < 100; i++) {
          // each ends at once (its caller gave up), so at most one is pending: only the rate limit applies
          outcomes.push(await atOnce(upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: AbortSignal.abort() })))
        }

        expect(outcomes.map(outcome => outcome instanceof Error ? outcome.name : outcome)).to.deep.equal(Array(100).fill('AbortError'))
        const refused = await atOnce(upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: AbortSignal.abort() }))
        expect(refused).to.have.property('name', 'InboundUpgradeRefusedError')
        expect(refused).to.have.property('limit', 'rate-per-host')
      }, { date: true })
    })
  })

  describe('streams per protocol and connection', () => {
    it('maxInboundStreams: a handler registered without options runs for 32 streams at once; the 33rd is reset', async () => {
      const listener = defaultUpgrader(bob)
      let handled = 0
      // the handler keeps every stream open
      listener.handle(PROTOCOL, () => { handled++ })
      const connection = await upgradedPair(defaultUpgrader(alice), listener, bob)
      const streams: Stream[] = []

      for (let i = 0; i < 33; i++) {
        streams.push(await connection.newStream(PROTOCOL, { maxOutboundStreams: 100 }))
      }

      const last = streams[32] as Stream
      await eventually(() => last.status !== 'open', 'the listener to reset the 33rd stream')
      expect(handled).to.equal(32)
      expect(streams.slice(0, 32).map(stream => stream.status)).to.deep.equal(Array(32).fill('open'))
      await connection.close()
    })

    it('maxOutboundStreams: newStream without options opens 64 streams of a protocol; the 65th fails with TooManyOutboundProtocolStreamsError', async () => {
      const listener = defaultUpgrader(bob)
      listener.handle(PROTOCOL, () => {}, { maxInboundStreams: 100 })
      const connection = await upgradedPair(defaultUpgrader(alice), listener, bob)

      for (let i = 0; i < 64; i++) {
        await connection.newStream(PROTOCOL)
      }

      const err = await connection.newStream(PROTOCOL).then(() => undefined, (err: unknown) => err)
      expect(err).to.have.property('name', 'TooManyOutboundProtocolStreamsError')
      expect(connection.streams.filter(stream => stream.status === 'open')).to.have.lengthOf(64)
      await connection.close()
    })
  })

  it('maxReadBufferLength: a stream nobody reads holds 32 MiB, and is aborted with a StreamBufferError one byte later', async function () {
    this.timeout(120_000)
    // mplex has no flow control: only this limit stops a remote that sends to a stream nobody reads
    const muxer = (): MuxerModule => mplex({ disconnectThreshold: Infinity }) as MuxerModule
    const listener = defaultUpgrader(bob, muxer())
    let unread: Stream | undefined
    let closedWith: Error | undefined
    listener.handle(PROTOCOL, (stream) => {
      unread = stream
      stream.addEventListener('close', (evt) => { closedWith = evt.error })
    })
    const connection = await upgradedPair(defaultUpgrader(alice, muxer()), listener, bob)
    const stream = await connection.newStream(PROTOCOL)
    const chunk = new Uint8Array(MiB)

    for (let i = 0; i < 32; i++) {
      if (!stream.send(chunk)) await stream.onDrain()
    }

    await eventually(() => unread?.readBufferLength === 32 * MiB || unread?.status !== 'open', 'the 32 MiB to arrive', 12_000)
    expect(unread?.status).to.equal('open')
    expect(unread?.readBufferLength).to.equal(32 * MiB)

    stream.send(Uint8Array.of(1))
    await eventually(() => unread?.status !== 'open', 'the byte over the limit to abort the stream')
    // what arrived is still delivered, then the error
    const outcome = await readOutcome(unread as Stream)
    expect(outcome.bytes.byteLength).to.equal(32 * MiB + 1)
    expect(outcome.error).to.have.property('name', 'StreamBufferError')
    expect(closedWith).to.have.property('name', 'StreamBufferError')
    await connection.close()
  })
})
