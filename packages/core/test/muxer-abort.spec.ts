/**
 * A muxer that gives up on its connection, and the streams opening over it.
 * mplex (12.x) aborts itself when the remote opens more than
 * `disconnectThreshold` (default 5) new streams in a second: every stream it
 * has is reset, and nothing answers a stream opened after that. The
 * connection must die with it, and a `newStream()` waiting on the remote
 * must fail then, named, with the reason as cause, not at the negotiation
 * deadline with a `TimeoutError`.
 */
import { mplex } from '@libp2p/mplex'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { Node, createUpgrader } from '../src/index.js'
import { ECHO, echoHandler } from './fixtures/echo.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import type { EncrypterModule, MuxerModule, UplinkConnection } from '../src/index.js'
import type { StreamCloseEvent } from '@libp2p/interface'

const STREAMS = 10

/** The tutorial's bundle, with mplex as the user writes it: `mplex()`. */
function tutorialNode (): Node {
  return new Node({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    modules: { transport: [tcp()], connection: { muxer: [mplex() as MuxerModule], crypto: [secio() as EncrypterModule] } }
  })
}

/** Every error in `err`'s cause chain, outermost first. */
function causes (err: unknown): Array<{ name?: string, message?: string }> {
  const chain: Array<{ name?: string, message?: string }> = []

  for (let e = err as { cause?: unknown } | undefined; e != null && chain.length < 10; e = e.cause as typeof e) {
    chain.push(e as { name?: string, message?: string })
  }

  return chain
}

describe('a muxer that aborts its connection', function () {
  this.timeout(30_000)

  it(`mplex's default new-stream limit: ${STREAMS} streams opened at once fail by name when the listener's mplex gives up, none by the negotiation deadline, and both connections close`, async () => {
    const [alice, bob] = await Promise.all([identity(), identity()])
    // the listener keeps mplex's default limit; the dialer's does not matter
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [mplex() as MuxerModule] })
    const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [mplex() as MuxerModule] })
    listener.handle(ECHO, echoHandler, { maxInboundStreams: 64 })
    const { outbound, inbound } = rawPair(bob.peerId)
    const opened = pEvent<'connection:open', CustomEvent<UplinkConnection>>(listener, 'connection:open')
    const signal = AbortSignal.timeout(10_000)
    const [connection] = await Promise.all([dialer.upgradeOutbound(outbound, { signal }), listener.upgradeInbound(inbound, { signal })])
    const listenerSide = (await opened).detail
    const listenerClosed = pEvent<'close', StreamCloseEvent>(listenerSide, 'close')
    const dialerClosed = pEvent(connection, 'close')

    const settled = await Promise.allSettled(Array.from({ length: STREAMS }, async () => connection.newStream(ECHO, { maxOutboundStreams: 64 })))
    const failures = settled.flatMap(result => result.status === 'rejected' ? [result.reason] : [])
    const names = failures.map(err => err.name)

    expect(names, 'no stream open may wait for the negotiation deadline').to.not.include('TimeoutError')
    // a stream the listener's mplex had taken is reset by it; one it ignored fails with the connection
    expect(names.filter(name => name !== 'StreamResetError' && name !== 'ConnectionFailedError'), 'only named failures').to.deep.equal([])
    const connectionFailures = failures.filter(err => err.name === 'ConnectionFailedError')
    expect(connectionFailures.length, 'the streams past the limit fail with the connection').to.be.at.least(STREAMS - 5)

    for (const err of connectionFailures) {
      expect(causes(err).slice(1).map(e => e.name), 'the remote\'s reset is the cause').to.include('StreamResetError')
    }

    const [listenerEnd] = await Promise.all([listenerClosed, dialerClosed])
    expect(listenerEnd.error, 'the listener says why it closed').to.have.property('name', 'MuxerFailedError')
    expect(listenerEnd.error?.cause).to.have.property('message', 'Too many open streams')
    expect(listenerSide.status).to.not.equal('open')
    expect(connection.status).to.not.equal('open')
  })

  it(`the tutorial's bundle over TCP (secio + mplex()): ${STREAMS} newStream calls at once on a dialed connection fail by name, none by the negotiation deadline`, async () => {
    const [server, client] = [tutorialNode(), tutorialNode()]
    await Promise.all([server.start(), client.start()])

    try {
      server.handle(ECHO, echoHandler, { maxInboundStreams: 64 })
      const [addr] = server.getMultiaddrs()
      const connection = await client.dial(addr ?? [])
      const closed = pEvent<'close', StreamCloseEvent>(connection, 'close')
      const settled = await Promise.allSettled(Array.from({ length: STREAMS }, async () => connection.newStream(ECHO, { maxOutboundStreams: 64 })))
      const names = settled.flatMap(result => result.status === 'rejected' ? [result.reason.name] : [])

      expect(names, 'no stream open may wait for the negotiation deadline').to.not.include('TimeoutError')
      // past the limit a stream fails with the connection: while it dies (ConnectionFailedError) or, when the
      // dialer's side had already closed before the call, as a closed connection (ConnectionClosedError)
      const withConnection = names.filter(name => name === 'ConnectionFailedError' || name === 'ConnectionClosedError')
      expect(withConnection.length, `the streams past the limit fail with the connection: ${names.join(', ')}`).to.be.at.least(STREAMS - 5)
      expect(names.filter(name => name !== 'StreamResetError' && !withConnection.includes(name)), 'only named failures').to.deep.equal([])
      await closed
    } finally {
      await Promise.all([client.stop(), server.stop()])
    }
  })
})
