import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { createUpgrader } from '../src/index.js'
import { ECHO, echoHandler } from './fixtures/echo.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { payload, roundTrip } from './fixtures/streams.js'
import type { UpgraderInit, UplinkUpgrader } from '../src/index.js'
import type { Identity } from './fixtures/raw-pair.js'
import type { Connection, ConnectionEncrypter, MultiaddrConnection } from '@libp2p/interface'

function upgrader (id: Identity, init: Partial<UpgraderInit> = {}): UplinkUpgrader {
  return createUpgrader({
    privateKey: id.privateKey,
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    ...init
  })
}

/** Runs both sides of an upgrade on a raw pair and returns both connections. */
async function upgradePair (dialer: UplinkUpgrader, listener: UplinkUpgrader, outbound: MultiaddrConnection, inbound: MultiaddrConnection): Promise<[Connection, Connection]> {
  const opened = pEvent<'connection:open', CustomEvent<Connection>>(listener, 'connection:open')
  const signal = AbortSignal.timeout(10_000)
  const [outConn] = await Promise.all([
    dialer.upgradeOutbound(outbound, { signal }),
    listener.upgradeInbound(inbound, { signal })
  ])

  return [outConn, (await opened).detail]
}

/** A copy of an encrypter announced under another protocol id, to test negotiation order. */
function renamed (protocol: string, module: (components: any) => ConnectionEncrypter): (components: any) => ConnectionEncrypter {
  return (components) => {
    const inner = module(components)
    return {
      protocol,
      secureInbound: async (conn, options) => inner.secureInbound(conn, options),
      secureOutbound: async (conn, options) => inner.secureOutbound(conn, options)
    }
  }
}

describe('createUpgrader (standalone, on a raw connection pair)', () => {
  let alice: Identity
  let bob: Identity

  before(async () => {
    alice = await identity()
    bob = await identity()
  })

  it('upgrades both ends into multiplexed connections that know each other', async () => {
    const dialer = upgrader(alice)
    const listener = upgrader(bob)
    listener.handle(ECHO, echoHandler)
    const { outbound, inbound } = rawPair(bob.peerId)

    const [outConn, inConn] = await upgradePair(dialer, listener, outbound, inbound)

    expect(outConn.remotePeer.equals(bob.peerId)).to.equal(true)
    expect(inConn.remotePeer.equals(alice.peerId)).to.equal(true)
    expect(outConn.direction).to.equal('outbound')
    expect(inConn.direction).to.equal('inbound')
    expect(outConn.encryption).to.equal('/plaintext/2.0.0')
    expect(outConn.multiplexer).to.equal('/yamux/1.0.0')
    expect(inConn.multiplexer).to.equal('/yamux/1.0.0')
    expect(outConn.status).to.equal('open')
    expect(outConn.timeline.upgraded).to.be.a('number')
    expect(outConn.remoteAddr.toString()).to.include(`/p2p/${bob.peerId.toString()}`)

    const stream = await outConn.newStream(ECHO)
    expect(stream.protocol).to.equal(ECHO)
    const { bytes, chunks } = payload(256 * 1024)
    expect(await roundTrip(stream, chunks)).to.deep.equal(bytes)

    await outConn.close()
    expect(outConn.status).to.equal('closed')
  })

  it('offers crypto channels in the dialer\'s configured order', async () => {
    const first = renamed('/first/1.0.0', plaintext())
    const second = renamed('/second/1.0.0', plaintext())
    const { outbound, inbound } = rawPair(bob.peerId)
    const [outConn, inConn] = await upgradePair(
      upgrader(alice, { connectionEncrypters: [renamed('/only-alice/1.0.0', plaintext()), second, first] }),
      upgrader(bob, { connectionEncrypters: [first, second] }),
      outbound, inbound
    )

    expect(outConn.encryption).to.equal('/second/1.0.0')
    expect(inConn.encryption).to.equal('/second/1.0.0')
    await outConn.close()
  })

  it('refuses a remote that is not the dialed PeerId, names both ids and closes the raw connection', async () => {
    const mallory = await identity()
    const { outbound, inbound } = rawPair(bob.peerId)
    const listener = upgrader(mallory)

    const [result] = await Promise.allSettled([
      upgrader(alice).upgradeOutbound(outbound, { signal: AbortSignal.timeout(5_000) }),
      listener.upgradeInbound(inbound, { signal: AbortSignal.timeout(5_000) })
    ])

    expect(result.status).to.equal('rejected')
    const err = (result as PromiseRejectedResult).reason
    expect(err).to.have.property('name', 'UnexpectedPeerError')
    expect(err).to.have.property('stage', 'verify-peer')
    expect(err.message).to.include(bob.peerId.toString()).and.to.include(mallory.peerId.toString())
    expect(err.expected.equals(bob.peerId)).to.equal(true)
    expect(err.actual.equals(mallory.peerId)).to.equal(true)
    expect(outbound.status).to.not.equal('open')
  })

  it('fails with EncryptionFailedError at negotiate-crypto when no crypto channel is shared', async () => {
    const { outbound, inbound } = rawPair()
    const [out] = await Promise.allSettled([
      upgrader(alice, { connectionEncrypters: [renamed('/a/1.0.0', plaintext())] }).upgradeOutbound(outbound, { signal: AbortSignal.timeout(5_000) }),
      upgrader(bob, { connectionEncrypters: [renamed('/b/1.0.0', plaintext())] }).upgradeInbound(inbound, { signal: AbortSignal.timeout(5_000) })
    ])

    expect(out.status).to.equal('rejected')
    const err = (out as PromiseRejectedResult).reason
    expect(err).to.have.property('name', 'EncryptionFailedError')
    expect(err).to.have.property('stage', 'negotiate-crypto')
    expect(err.cause).to.have.property('name', 'UnsupportedProtocolError')
    expect(outbound.status).to.not.equal('open')
  })

  it('fails with MuxerUnavailableError at negotiate-muxer when no muxer is shared', async () => {
    const { outbound, inbound } = rawPair()
    const otherMuxer = (): any => ({ protocol: '/other-muxer/1.0.0', createStreamMuxer: () => { throw new Error('unused') } })
    const [out] = await Promise.allSettled([
      upgrader(alice, { streamMuxers: [otherMuxer] }).upgradeOutbound(outbound, { signal: AbortSignal.timeout(5_000) }),
      upgrader(bob).upgradeInbound(inbound, { signal: AbortSignal.timeout(5_000) })
    ])

    const err = (out as PromiseRejectedResult).reason
    expect(err).to.have.property('name', 'MuxerUnavailableError')
    expect(err).to.have.property('stage', 'negotiate-muxer')
  })

  it('times out a silent remote with a TimeoutError naming the stage, and closes the raw connection', async () => {
    const { outbound } = rawPair()
    const err = await upgrader(alice, { upgradeTimeout: 200 })
      .upgradeOutbound(outbound, { signal: AbortSignal.timeout(60_000) })
      .then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'TimeoutError')
    expect(err).to.have.property('stage', 'negotiate-crypto')
    expect(outbound.status).to.equal('aborted')
  })

  it('stops at the caller\'s abort with an AbortError and closes the raw connection', async () => {
    const { inbound } = rawPair()
    const controller = new AbortController()
    const upgrade = upgrader(bob).upgradeInbound(inbound, { signal: controller.signal })
    setTimeout(() => { controller.abort() }, 50)
    const err = await upgrade.then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'AbortError')
    expect(inbound.status).to.equal('aborted')
  })

  it('gives an upgraded connection no deadline: it outlives the upgrade timeout', async () => {
    const dialer = upgrader(alice, { upgradeTimeout: 100 })
    const listener = upgrader(bob, { upgradeTimeout: 100 })
    listener.handle(ECHO, echoHandler)
    const { outbound, inbound } = rawPair(bob.peerId)
    const [outConn] = await upgradePair(dialer, listener, outbound, inbound)

    await new Promise(resolve => setTimeout(resolve, 300))
    const stream = await outConn.newStream(ECHO)
    expect(await roundTrip(stream, [Uint8Array.of(1, 2, 3)])).to.deep.equal(Uint8Array.of(1, 2, 3))
    expect(outConn.status).to.equal('open')
    await outConn.close()
  })

  it('refuses a stream for a protocol nobody handles and keeps the connection usable', async () => {
    const listener = upgrader(bob)
    listener.handle(ECHO, echoHandler)
    const { outbound, inbound } = rawPair(bob.peerId)
    const [outConn] = await upgradePair(upgrader(alice), listener, outbound, inbound)

    const err = await outConn.newStream('/not-served/1.0.0').then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('name', 'UnsupportedProtocolError')

    const stream = await outConn.newStream(['/not-served/1.0.0', ECHO])
    expect(stream.protocol).to.equal(ECHO)
    expect(await roundTrip(stream, [Uint8Array.of(9)])).to.deep.equal(Uint8Array.of(9))
    await outConn.close()
  })

  it('opens streams in both directions and dispatches each by protocol', async () => {
    const dialer = upgrader(alice)
    const listener = upgrader(bob)
    dialer.handle('/from-bob/1.0.0', echoHandler)
    listener.handle(ECHO, echoHandler)
    const { outbound, inbound } = rawPair(bob.peerId)
    const [outConn, inConn] = await upgradePair(dialer, listener, outbound, inbound)

    const toBob = await outConn.newStream(ECHO)
    const toAlice = await inConn.newStream('/from-bob/1.0.0')
    const [a, b] = await Promise.all([roundTrip(toBob, [Uint8Array.of(1)]), roundTrip(toAlice, [Uint8Array.of(2)])])

    expect(a).to.deep.equal(Uint8Array.of(1))
    expect(b).to.deep.equal(Uint8Array.of(2))
    await outConn.close()
  })

  it('abort() ends the connection at once on both sides', async () => {
    const { outbound, inbound } = rawPair(bob.peerId)
    const [outConn, inConn] = await upgradePair(upgrader(alice), upgrader(bob), outbound, inbound)
    const remoteClosed = pEvent(inConn, 'close')

    outConn.abort(new Error('test abort'))
    expect(outConn.status).to.equal('aborted')
    await remoteClosed
    expect(inConn.status).to.not.equal('open')
  })

  it('refuses a raw connection whose dialed /p2p/ id is not a PeerId with InvalidPeerIdError, and closes it', async () => {
    const { outbound } = rawPair()
    Object.defineProperty(outbound, 'remoteAddr', { value: outbound.remoteAddr.encapsulate('/p2p/QmNotAPeerId') })
    const err = await upgrader(alice).upgradeOutbound(outbound, { signal: AbortSignal.timeout(5_000) }).then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'InvalidPeerIdError')
    expect(outbound.status).to.equal('aborted')
  })

  it('exposes the configured encrypters and muxers by protocol', () => {
    const u = upgrader(alice)
    expect([...u.getConnectionEncrypters().keys()]).to.deep.equal(['/plaintext/2.0.0'])
    expect([...u.getStreamMuxers().keys()]).to.deep.equal(['/yamux/1.0.0'])
  })
})
