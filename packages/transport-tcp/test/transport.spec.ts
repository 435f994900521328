import { isTransport, transportSymbol } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { tcp } from '../src/index.js'
import { closedPort, components, hasIPv6Loopback, openSockets, waitFor } from './fixtures/net.js'
import { fakeUpgrader, maConnOf, untilAborted } from './fixtures/upgrader.js'
import type { TCPOptions } from '../src/index.js'
import type { Listener, MultiaddrConnection, StreamMessageEvent, Transport } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ProgressEvent } from 'progress-events'

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'

function createTransport (options?: TCPOptions): Transport {
  return tcp(options)(components())
}

async function rejection (promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise
  } catch (err: any) {
    return err
  }

  throw new Error('expected the promise to reject')
}

function firstAddr (listener: Listener): Multiaddr {
  const [ma] = listener.getAddrs()

  if (ma == null) {
    throw new Error('listener has no addresses')
  }

  return ma
}

async function read (maConn: MultiaddrConnection): Promise<Uint8Array> {
  const evt = await pEvent<'message', StreamMessageEvent>(maConn, 'message')

  return evt.data.subarray()
}

describe('TCP transport', function () {
  this.timeout(10_000)

  let listeners: Listener[]

  beforeEach(() => {
    listeners = []
  })

  afterEach(async () => {
    await Promise.all(listeners.map(async (listener) => listener.close()))
  })

  async function listen (transport: Transport, ma: string, upgrader = fakeUpgrader()): Promise<Listener> {
    const listener = transport.createListener({ upgrader })
    listeners.push(listener)
    await listener.listen(multiaddr(ma))

    return listener
  }

  describe('identity', () => {
    it('is a v3 transport named @uplink/tcp', () => {
      const transport = createTransport()

      expect(isTransport(transport)).to.equal(true)
      expect(transport[transportSymbol]).to.equal(true)
      expect(Object.prototype.toString.call(transport)).to.equal('[object @uplink/tcp]')
    })
  })

  describe('filters', () => {
    const accepted = [
      '/ip4/1.2.3.4/tcp/1',
      '/ip6/::1/tcp/1',
      '/dns/example.com/tcp/1',
      '/dns4/example.com/tcp/1',
      '/dns6/example.com/tcp/1',
      `/ip4/1.2.3.4/tcp/1/p2p/${PEER}`
    ]
    const rejected = [
      '/ip4/1.2.3.4/udp/1',
      '/ip4/1.2.3.4/tcp/1/ws',
      '/ip4/1.2.3.4/tcp/1/tls/ws',
      `/ip4/1.2.3.4/tcp/1/p2p/${PEER}/p2p-circuit`,
      '/dnsaddr/example.com/tcp/1',
      '/ip4/1.2.3.4/udp/1/quic-v1',
      '/unix/tmp%2Fsocket'
    ]

    for (const filter of ['dialFilter', 'listenFilter'] as const) {
      it(`${filter} keeps plain TCP addresses only`, () => {
        const transport = createTransport()
        const result = transport[filter]([...accepted, ...rejected].map((ma) => multiaddr(ma)))

        expect(result.map((ma) => ma.toString())).to.deep.equal(accepted)
      })
    }
  })

  describe('dial and listen', () => {
    async function dialAndExchange (listenAddr: string): Promise<{ listener: Listener, dialed: Multiaddr, outbound: MultiaddrConnection, inbound: MultiaddrConnection }> {
      const transport = createTransport()
      const upgrader = fakeUpgrader()
      const listener = await listen(transport, listenAddr, upgrader)
      const dialed = firstAddr(listener)

      const events: string[] = []
      const nextInbound = upgrader.nextInbound()
      const conn = await transport.dial(dialed, {
        upgrader,
        signal: AbortSignal.timeout(5_000),
        onProgress: (evt: ProgressEvent) => { events.push(evt.type) }
      })
      const outbound = maConnOf(conn)
      const inbound = await nextInbound

      expect(events).to.include('tcp:open-connection')

      const ping = Uint8Array.from([1, 2, 3])
      const pong = Uint8Array.from([4, 5, 6])
      const received = read(inbound)
      outbound.send(ping)
      expect(await received).to.deep.equal(ping)

      const replied = read(outbound)
      inbound.send(pong)
      expect(await replied).to.deep.equal(pong)

      await outbound.close()

      return { listener, dialed, outbound, inbound }
    }

    it('over IPv4, on a port chosen by the OS', async () => {
      const { listener, dialed, outbound, inbound } = await dialAndExchange('/ip4/127.0.0.1/tcp/0')

      expect(listener.getAddrs()).to.have.lengthOf(1)
      expect(dialed.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
      expect(dialed.toString()).to.not.equal('/ip4/127.0.0.1/tcp/0')
      // the dialer keeps the address it asked for, the listener learns the
      // dialer's ephemeral port from the socket
      expect(outbound.remoteAddr.toString()).to.equal(dialed.toString())
      expect(outbound.direction).to.equal('outbound')
      expect(inbound.remoteAddr.toString()).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
      expect(inbound.direction).to.equal('inbound')
    })

    it('over IPv6', async function () {
      if (!await hasIPv6Loopback()) {
        this.skip()
      }

      const { dialed, inbound } = await dialAndExchange('/ip6/::1/tcp/0')

      expect(dialed.toString()).to.match(/^\/ip6\/::1\/tcp\/\d+$/)
      expect(inbound.remoteAddr.toString()).to.match(/^\/ip6\/::1\/tcp\/\d+$/)
    })

    it('expands a wildcard listen address into interface addresses', async () => {
      const listener = await listen(createTransport(), '/ip4/0.0.0.0/tcp/0')
      const addrs = listener.getAddrs().map((ma) => ma.toString())
      const ports = new Set(addrs.map((ma) => ma.split('/')[4]))

      expect(addrs).to.include(`/ip4/127.0.0.1/tcp/${[...ports][0]}`)
      expect(addrs.some((ma) => ma.includes('0.0.0.0'))).to.equal(false)
      expect(ports.size).to.equal(1)
      expect(ports.has('0')).to.equal(false)
    })

    it('passes the dial signal and progress handler to the upgrader', async () => {
      const transport = createTransport()
      const upgrader = fakeUpgrader()
      const listener = await listen(transport, '/ip4/127.0.0.1/tcp/0', upgrader)
      const signal = AbortSignal.timeout(5_000)
      const onProgress = (): void => {}
      let seen: any

      const dialer = fakeUpgrader({
        upgradeOutbound: async (_maConn, options) => { seen = options }
      })
      const conn = await transport.dial(firstAddr(listener), { upgrader: dialer, signal, onProgress })

      expect(seen.signal).to.equal(signal)
      expect(seen.onProgress).to.equal(onProgress)
      expect(seen).to.not.have.property('upgrader')
      maConnOf(conn).abort(new Error('done'))
    })
  })

  describe('dial failures', () => {
    it('fails fast with a TCPDialError naming the address when the port is closed', async () => {
      const ma = multiaddr(`/ip4/127.0.0.1/tcp/${await closedPort()}`)
      const err = await rejection(createTransport().dial(ma, {
        upgrader: fakeUpgrader(),
        signal: AbortSignal.timeout(5_000)
      }))

      expect(err.name).to.equal('TCPDialError')
      expect(err.message).to.include(ma.toString())
      expect(err.code).to.equal('ECONNREFUSED')
      expect(err.cause).to.have.property('code', 'ECONNREFUSED')
    })

    it('rejects with AbortError without opening a socket when the signal is already aborted', async () => {
      const before = openSockets()
      const controller = new AbortController()
      controller.abort()

      const err = await rejection(createTransport().dial(multiaddr('/ip4/10.255.255.1/tcp/80'), {
        upgrader: fakeUpgrader(),
        signal: controller.signal
      }))

      expect(err.name).to.equal('AbortError')
      expect(openSockets()).to.equal(before)
    })

    it('rejects with AbortError and destroys the socket when aborted while connecting', async () => {
      const transport = createTransport()
      const upgrader = fakeUpgrader()
      const listener = await listen(transport, '/ip4/127.0.0.1/tcp/0', upgrader)
      await waitFor(() => openSockets() === 0)

      const controller = new AbortController()
      // connecting takes at least one trip through the event loop, so the
      // abort lands while the socket is still connecting
      const dialing = transport.dial(firstAddr(listener), { upgrader, signal: controller.signal })
      controller.abort()
      const err = await rejection(dialing)

      expect(err.name).to.equal('AbortError')
      // neither end may be left open (the kernel may have completed the
      // handshake, in which case the listener sees the socket close)
      await waitFor(() => openSockets() === 0)
    })

    it('aborts the raw connection and rejects when the upgrade fails', async () => {
      const transport = createTransport()
      const upgrader = fakeUpgrader()
      const listener = await listen(transport, '/ip4/127.0.0.1/tcp/0', upgrader)
      let outbound: MultiaddrConnection | undefined

      const failing = fakeUpgrader({
        upgradeOutbound: async (maConn) => {
          outbound = maConn
          throw Object.assign(new Error('handshake failed'), { name: 'InvalidCryptoExchangeError' })
        }
      })
      const nextInbound = upgrader.nextInbound()
      const err = await rejection(transport.dial(firstAddr(listener), {
        upgrader: failing,
        signal: AbortSignal.timeout(5_000)
      }))
      const inbound = await nextInbound

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(outbound?.status).to.equal('aborted')
      await waitFor(() => inbound.status !== 'open')
    })

    it('aborts the raw connection when the signal aborts during the upgrade', async () => {
      const transport = createTransport()
      const listener = await listen(transport, '/ip4/127.0.0.1/tcp/0')
      const controller = new AbortController()
      let outbound: MultiaddrConnection | undefined

      const stalling = fakeUpgrader({
        upgradeOutbound: async (maConn, options) => {
          outbound = maConn
          controller.abort()
          await untilAborted(options.signal)
        }
      })
      const err = await rejection(transport.dial(firstAddr(listener), {
        upgrader: stalling,
        signal: controller.signal
      }))

      expect(err.name).to.equal('AbortError')
      expect(outbound?.status).to.equal('aborted')
    })

    it('rejects addresses it cannot dial', async () => {
      const err = await rejection(createTransport().dial(multiaddr('/ip4/127.0.0.1/udp/1'), {
        upgrader: fakeUpgrader(),
        signal: AbortSignal.timeout(5_000)
      }))

      expect(err.name).to.equal('InvalidMultiaddrError')
    })
  })
})
