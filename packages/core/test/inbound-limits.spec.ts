// Pending upgrades are bounded: a node refuses half-open inbound connections beyond its limits at
// once, with a named error, and an honest peer still gets through a flood of 1,000 silent sockets.
import { connect } from 'node:net'
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST, Node, createUpgrader } from '../src/index.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { until } from './fixtures/tamper-proxy.js'
import type { InboundUpgradeLimits } from '../src/index.js'
import type { MultiaddrConnection } from '@libp2p/interface'
import type { Socket } from 'node:net'

function fromHost (host: string): MultiaddrConnection {
  const { inbound } = rawPair()
  Object.defineProperty(inbound, 'remoteAddr', { value: inbound.remoteAddr.decapsulate('/ip4').encapsulate(`/ip4/${host}/tcp/4001`) })
  return inbound
}

async function limitedUpgrader (limits: InboundUpgradeLimits): Promise<ReturnType<typeof createUpgrader>> {
  const { privateKey } = await identity()
  return createUpgrader({ privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()], inboundUpgradeLimits: limits })
}

describe('inbound upgrade limits', () => {
  it('refuses an upgrade beyond maxPending at once, closes its raw connection, and admits again when one ends', async () => {
    const upgrader = await limitedUpgrader({ maxPending: 2, maxPendingPerHost: 10 })
    const callers = [new AbortController(), new AbortController()]
    const silent = [fromHost('10.0.0.1'), fromHost('10.0.0.2')]
    const pending = silent.map(async (maConn, i) => upgrader.upgradeInbound(maConn, { signal: callers[i]?.signal as AbortSignal }).catch((err: Error) => err))
    expect(upgrader.pendingInboundUpgrades).to.equal(2)

    const third = fromHost('10.0.0.3')
    const refused = await upgrader.upgradeInbound(third, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => err)
    expect(refused).to.have.property('name', 'InboundUpgradeRefusedError')
    expect(refused).to.have.property('limit', 'pending')
    expect(third.status).to.equal('aborted')

    callers[0]?.abort()
    await pending[0]
    expect(upgrader.pendingInboundUpgrades).to.equal(1)
    const fourth = fromHost('10.0.0.4')
    const admitted = upgrader.upgradeInbound(fourth, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => err)
    expect(upgrader.pendingInboundUpgrades).to.equal(2)

    callers[1]?.abort()
    fourth.abort(new Error('test over'))
    await Promise.all([pending[1], admitted])
    expect(upgrader.pendingInboundUpgrades).to.equal(0)
  })

  it('refuses a host beyond maxPendingPerHost while other hosts are still admitted', async () => {
    const upgrader = await limitedUpgrader({ maxPending: 10, maxPendingPerHost: 2 })
    const caller = new AbortController()
    const held = [fromHost('10.0.0.1'), fromHost('10.0.0.1')].map(async maConn => upgrader.upgradeInbound(maConn, { signal: caller.signal }).catch((err: Error) => err.name))
    expect(upgrader.pendingInboundUpgrades).to.equal(2)

    const refused = await upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: caller.signal }).catch((err: Error) => err)
    expect(refused).to.have.property('name', 'InboundUpgradeRefusedError')
    expect(refused).to.have.property('limit', 'pending-per-host')

    const other = upgrader.upgradeInbound(fromHost('10.0.0.2'), { signal: caller.signal }).catch((err: Error) => err.name)
    expect(upgrader.pendingInboundUpgrades).to.equal(3)
    caller.abort()
    // admitted, and ended by their caller: none was refused
    expect(await Promise.all([...held, other])).to.deep.equal(['AbortError', 'AbortError', 'AbortError'])
  })

  it('refuses a host beyond maxPerHostPerSecond', async () => {
    const upgrader = await limitedUpgrader({ maxPending: 100, maxPendingPerHost: 100, maxPerHostPerSecond: 3 })
    const caller = new AbortController()
    const admitted = Array.from({ length: 3 }, async () => upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: caller.signal }).catch((err: Error) => err.name))
    expect(upgrader.pendingInboundUpgrades).to.equal(3)

    const refused = await upgrader.upgradeInbound(fromHost('10.0.0.1'), { signal: caller.signal }).catch((err: Error) => err)
    expect(refused).to.have.property('name', 'InboundUpgradeRefusedError')
    expect(refused).to.have.property('limit', 'rate-per-host')
    caller.abort()
    expect(await Promise.all(admitted)).to.deep.equal(['AbortError', 'AbortError', 'AbortError'])
  })

  it('with the default limits, a node closes a flood of 1,000 silent sockets from one host at once and still serves an honest peer', async function () {
    this.timeout(60_000)
    const modules = { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [yamux()] } }
    const listener = new Node({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, modules })
    const honest = new Node({ modules })
    await Promise.all([listener.start(), honest.start()])
    const [addr] = listener.getMultiaddrs()
    if (addr == null) throw new Error('no listen address')
    const port = Number(addr.getComponents().find(c => c.name === 'tcp')?.value)
    const flood: Socket[] = []
    let closedByListener = 0

    try {
      for (let i = 0; i < 1_000; i++) {
        // the flood comes from another loopback address: a host of its own
        const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' })
        socket.on('error', () => {})
        socket.on('close', () => { closedByListener++ })
        flood.push(socket)
      }

      await until(() => closedByListener >= 1_000 - DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST, 'the listener to close the excess')
      expect(listener.upgrader.pendingInboundUpgrades).to.be.at.most(DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST)

      const connection = await honest.dial(addr, { signal: AbortSignal.timeout(10_000) })
      expect(connection.remotePeer.equals(listener.peerId)).to.equal(true)
      expect(closedByListener).to.be.at.most(1_000 - 1)
    } finally {
      for (const socket of flood) socket.destroy()
      await Promise.all([honest.stop(), listener.stop()])
    }
  })
})
