// What each default timeout does when the user sets none: the operation is still running a
// millisecond before the default and is ended, with a TimeoutError, at the default. Time is a fake
// clock (see fixtures/fake-clock.ts), so a 30 s default costs no real 30 s; only the code's own
// timers are faked, sockets and in-memory pairs run for real.
import { createServer, connect } from 'node:net'
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { Node, createUpgrader } from '../src/index.js'
import { eventually, onFakeClock, watch } from './fixtures/fake-clock.js'
import { mutedYamux } from './fixtures/muted-muxer.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import type { MuxerModule, UplinkConnection, UplinkUpgrader } from '../src/index.js'
import type { Identity } from './fixtures/raw-pair.js'
import type { Clock } from '@sinonjs/fake-timers'
import type { AddressInfo, Socket } from 'node:net'

const ECHO = '/echo/1.0.0'
const modules = { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [yamux()] } }

/** An upgrader with nothing but what it needs: every timeout is the default. */
function defaultUpgrader (id: Identity, muxer: MuxerModule = yamux()): UplinkUpgrader {
  return createUpgrader({ privateKey: id.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [muxer] })
}

/** Upgrades both ends of an in-memory pair (on real time) and returns the dialer's and the listener's connection. */
async function upgradedPair (dialer: UplinkUpgrader, listener: UplinkUpgrader, listenerId: Identity): Promise<[UplinkConnection, UplinkConnection]> {
  const { outbound, inbound } = rawPair(listenerId.peerId)
  const opened = pEvent<'connection:open', CustomEvent<UplinkConnection>>(listener, 'connection:open')
  const signal = AbortSignal.timeout(10_000)
  const [connection] = await Promise.all([dialer.upgradeOutbound(outbound, { signal }), listener.upgradeInbound(inbound, { signal })])
  return [connection, (await opened).detail]
}

/** Moves the fake clock to 1 ms before `ms`, checks nothing ended, then to `ms` and waits for the end (real-time hang guard). */
async function endsExactlyAt (clock: Clock, ms: number, ended: () => boolean, what: string): Promise<void> {
  await clock.tickAsync(ms - 1)
  // let whatever the timers set off travel through the in-memory pipes and sockets before looking
  for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve))
  expect(ended(), `${what} ended before ${ms} ms`).to.equal(false)
  await clock.tickAsync(1)
  await eventually(ended, `${what} to end at ${ms} ms`, 400)
}

describe('default timeouts, as the user gets them when they set none', () => {
  let alice: Identity
  let bob: Identity

  before(async () => {
    [alice, bob] = await Promise.all([identity(), identity()])
  })

  it('upgradeTimeout: an outbound upgrade the remote never answers fails with a TimeoutError at 10 s, not before', async () => {
    await onFakeClock(async (clock) => {
      const { outbound } = rawPair()
      const upgrade = watch(defaultUpgrader(alice).upgradeOutbound(outbound, { signal: new AbortController().signal }))

      await endsExactlyAt(clock, 10_000, () => upgrade.settled, 'the upgrade')
      const { error } = await upgrade.outcome
      expect(error).to.have.property('name', 'TimeoutError')
      expect(error).to.have.property('stage', 'negotiate-crypto')
      expect(outbound.status).to.equal('aborted')
    })
  })

  it('upgradeTimeout: a node closes an inbound socket that never speaks at 10 s, not before', async () => {
    const listener = new Node({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, modules })
    await listener.start()
    let socket: Socket | undefined

    try {
      await onFakeClock(async (clock) => {
        const port = Number(listener.getMultiaddrs()[0]?.getComponents().find(c => c.name === 'tcp')?.value)
        let closed = false
        socket = connect({ port, host: '127.0.0.1' })
        socket.on('error', () => {})
        socket.on('close', () => { closed = true })
        await eventually(() => listener.upgrader.pendingInboundUpgrades === 1, 'the listener to start upgrading the socket')

        await endsExactlyAt(clock, 10_000, () => listener.upgrader.pendingInboundUpgrades === 0, 'the upgrade of the silent socket')
        await eventually(() => closed, 'the listener to close the silent socket')
      })
    } finally {
      socket?.destroy()
      await listener.stop()
    }
  })

  it('dialTimeout: a dial to a listener that accepts and never speaks fails with a TimeoutError at 30 s, not before', async () => {
    const sockets: Socket[] = []
    const server = createServer(socket => {
      socket.on('error', () => {})
      sockets.push(socket)
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    // the upgrade's own default (10 s) would end the dial first: give it room, leave the dial timeout alone
    const dialer = new Node({ modules, connection: { upgradeTimeout: 120_000 } })
    await dialer.start()

    try {
      await onFakeClock(async (clock) => {
        const dial = watch(dialer.dial(`/ip4/127.0.0.1/tcp/${port}`))
        await eventually(() => sockets.length === 1, 'the dial to reach the listener')

        await endsExactlyAt(clock, 30_000, () => dial.settled, 'the dial')
        const { error } = await dial.outcome
        expect(error).to.have.property('name', 'TimeoutError')
        expect(dialer.getConnections()).to.have.lengthOf(0)
      })
    } finally {
      for (const socket of sockets) socket.destroy()
      await dialer.stop()
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('protocolNegotiationTimeout: newStream without a signal, to a remote that never answers, fails with a TimeoutError at 5 s, not before', async () => {
    const muted = mutedYamux()
    const [connection] = await upgradedPair(defaultUpgrader(alice), defaultUpgrader(bob, muted.module), bob)

    await onFakeClock(async (clock) => {
      const opening = watch(connection.newStream(ECHO))
      await eventually(() => muted.unanswered.length === 1, 'the stream to reach the remote')

      await endsExactlyAt(clock, 5_000, () => opening.settled, 'the protocol negotiation')
      const { error } = await opening.outcome
      expect(error).to.have.property('name', 'TimeoutError')
    })

    expect(connection.status).to.equal('open')
    await connection.close()
  })

  it('protocolNegotiationTimeout: an inbound stream whose remote never speaks multistream-select is reset at 5 s, not before', async () => {
    const muted = mutedYamux()
    const listener = defaultUpgrader(bob)
    listener.handle(ECHO, () => {})
    const [connection, inbound] = await upgradedPair(defaultUpgrader(alice, muted.module), listener, bob)
    const [dialerMuxer] = muted.muxers
    if (dialerMuxer == null) throw new Error('the dialer made no muxer')

    await onFakeClock(async (clock) => {
      // a stream of the muxer's own: no multistream-select header is ever sent on it
      const silent = await dialerMuxer.createStream()
      let closedWith: Error | undefined
      let closed = false
      silent.addEventListener('close', (evt) => { closed = true; closedWith = evt.error })
      await eventually(() => inbound.streams.length === 1, 'the stream to reach the listener')

      await endsExactlyAt(clock, 5_000, () => inbound.streams.length === 0, 'the silent inbound stream')
      await eventually(() => closed, 'the reset to reach the dialer')
      expect(closedWith).to.have.property('name', 'StreamResetError')
    })

    await connection.close()
  })

  it('connectionCloseTimeout: close() of a connection whose remote stopped reading aborts it at 1 s, not before', async () => {
    const listener = defaultUpgrader(bob)
    listener.handle(ECHO, (stream) => { stream.pause() })
    const [connection] = await upgradedPair(defaultUpgrader(alice), listener, bob)
    const stream = await connection.newStream(ECHO)
    // far more than yamux's 256 KiB window: the paused remote never takes it, so the close cannot finish
    for (let i = 0; i < 16; i++) stream.send(new Uint8Array(64 * 1024))

    await onFakeClock(async (clock) => {
      const closing = watch(connection.close())

      await endsExactlyAt(clock, 1_000, () => closing.settled, 'the graceful close')
      expect((await closing.outcome).error).to.equal(undefined)
      expect(connection.status).to.equal('aborted')
    })
  })
})
