import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { tcp } from '../src/index.js'
import { components, waitFor } from './fixtures/net.js'
import { captureLogger } from './fixtures/capture-logger.js'
import { fakeUpgrader, untilAborted } from './fixtures/upgrader.js'
import type { TCPOptions } from '../src/index.js'
import type { AbortOptions, Listener } from '@libp2p/interface'
import type { FakeUpgrader, FakeUpgraderInit } from './fixtures/upgrader.js'

interface Setup {
  listener: Listener
  upgrader: FakeUpgrader
  port: number
}

describe('TCP listener', function () {
  this.timeout(10_000)

  let listeners: Listener[]
  let clients: net.Socket[]

  beforeEach(() => {
    listeners = []
    clients = []
  })

  afterEach(async () => {
    clients.forEach((client) => client.destroy())
    await Promise.all(listeners.map(async (listener) => listener.close()))
  })

  async function setup (options: TCPOptions = {}, upgraderInit?: FakeUpgraderInit): Promise<Setup> {
    const upgrader = fakeUpgrader(upgraderInit)
    const listener = tcp(options)(components()).createListener({ upgrader })
    listeners.push(listener)
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    const port = Number(listener.getAddrs()[0]?.getComponents().find((c) => c.name === 'tcp')?.value)

    return { listener, upgrader, port }
  }

  /** A plain client socket, so the listener is tested on its own */
  function socket (port: number): net.Socket {
    const client = net.connect({ host: '127.0.0.1', port })
    // the listener resetting refused or failed sockets is expected here
    client.on('error', () => {})
    clients.push(client)

    return client
  }

  async function connect (port: number): Promise<net.Socket> {
    const client = socket(port)
    await pEvent(client, 'connect')

    return client
  }

  /** Resolves when the socket closes, whether or not it ever connected */
  async function closeOf (client: net.Socket): Promise<void> {
    await pEvent(client, 'close', { rejectionEvents: [] })
  }

  it('emits listening and close', async () => {
    const listener = tcp()(components()).createListener({ upgrader: fakeUpgrader() })
    const listening = pEvent(listener, 'listening')
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    await listening

    const closed = pEvent(listener, 'close')
    await listener.close()
    await closed

    expect(listener.getAddrs()).to.deep.equal([])
  })

  it('closes without emitting close when it never listened', async () => {
    const listener = tcp()(components()).createListener({ upgrader: fakeUpgrader() })
    let closeEvents = 0
    listener.addEventListener('close', () => { closeEvents++ })

    await listener.close()

    expect(closeEvents).to.equal(0)
  })

  it('emits close once, however often close() is called, and can listen again', async () => {
    const { listener } = await setup()
    let closeEvents = 0
    listener.addEventListener('close', () => { closeEvents++ })

    await Promise.all([listener.close(), listener.close()])
    await listener.close()
    expect(closeEvents).to.equal(1)

    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    expect(listener.getAddrs()).to.have.lengthOf(1)
  })

  it('close() rejects with AbortError and aborts connections when its signal aborts', async () => {
    const { listener, upgrader, port } = await setup({ closeTimeout: 60_000 })

    const nextUpgraded = upgrader.nextUpgraded()
    const client = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    clients.push(client)
    client.on('error', () => {})
    const inbound = await nextUpgraded

    // the client never closes its end, so only the signal ends this close
    const controller = new AbortController()
    // the transport's listeners take AbortOptions beyond the Listener interface
    const closable = listener as Listener & { close(options?: AbortOptions): Promise<void> }
    const closing = closable.close({ signal: controller.signal })
    controller.abort()
    const err = await closing.catch((err: Error) => err)

    expect(err).to.have.property('name', 'AbortError')
    expect(inbound.status).to.equal('aborted')
  })

  it('logs the port it bound, not the /tcp/0 it was asked for', async () => {
    const logger = captureLogger()
    const listener = tcp()({ logger }).createListener({ upgrader: fakeUpgrader() })
    listeners.push(listener)
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    const bound = listener.getAddrs()[0]?.toString()

    expect(bound).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/[1-9]\d*$/)
    expect(logger.lines.filter(line => line.includes('listening on'))).to.deep.equal([`uplink:tcp:listener listening on ${bound}`])
  })

  it('refuses to listen twice', async () => {
    const { listener } = await setup()

    const err = await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0')).catch((err: Error) => err)

    expect(err).to.have.property('name', 'AlreadyStartedError')
  })

  it('rejects with TCPListenError and emits error when the port is taken', async () => {
    const { port } = await setup()
    const listener = tcp()(components()).createListener({ upgrader: fakeUpgrader() })
    listeners.push(listener)
    const ma = multiaddr(`/ip4/127.0.0.1/tcp/${port}`)

    const errorEvent = pEvent<'error', CustomEvent<Error>>(listener, 'error')
    const err = await listener.listen(ma).catch((err: Error) => err)

    expect(err).to.have.property('name', 'TCPListenError')
    expect(err).to.have.property('code', 'EADDRINUSE')
    expect(err).to.have.property('message').that.includes(ma.toString())
    expect((await errorEvent).detail).to.equal(err)
  })

  it('stores announce addresses without failing', async () => {
    const { listener } = await setup()

    listener.updateAnnounceAddrs([multiaddr('/ip4/1.2.3.4/tcp/1234')])
  })

  it('aborts the connection when the upgrade fails, and keeps accepting', async () => {
    const { upgrader, port } = await setup({}, {
      upgradeInbound: async () => {
        throw Object.assign(new Error('bad handshake'), { name: 'InvalidCryptoExchangeError' })
      }
    })

    await closeOf(socket(port))
    expect(upgrader.inbound[0]?.status).to.equal('aborted')

    await closeOf(socket(port))
    expect(upgrader.inbound).to.have.lengthOf(2)
  })

  it('close() ends in-flight upgrades and closes their sockets', async () => {
    const outcomes: string[] = []
    const { listener, upgrader, port } = await setup({}, {
      upgradeInbound: async (_maConn, options) => {
        try {
          await untilAborted(options.signal)
        } catch (err: any) {
          outcomes.push(err.name)
          throw err
        }
      }
    })

    const nextInbound = upgrader.nextInbound()
    const client = await connect(port)
    const inbound = await nextInbound
    const clientClosed = closeOf(client)

    await listener.close()
    await clientClosed

    expect(outcomes).to.deep.equal(['AbortError'])
    expect(inbound.status).to.equal('aborted')
  })

  it('close() aborts upgraded connections (their owner closes them gracefully first)', async () => {
    const { listener, upgrader, port } = await setup()

    const nextUpgraded = upgrader.nextUpgraded()
    const client = await connect(port)
    const inbound = await nextUpgraded
    const clientClosed = closeOf(client)

    await listener.close()
    await clientClosed

    expect(inbound.status).to.equal('aborted')
    expect(inbound.timeline.close).to.be.a('number')
  })

  it('close() does not wait for a remote that never closes its end', async () => {
    const { listener, upgrader, port } = await setup({ closeTimeout: 50 })

    const nextUpgraded = upgrader.nextUpgraded()
    const client = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    clients.push(client)
    client.on('error', () => {})
    const inbound = await nextUpgraded

    // the client never ends its side; close() must not wait for it
    await listener.close()

    expect(inbound.status).to.equal('aborted')
  })

  it('destroys sockets beyond maxInboundConnections', async () => {
    const { upgrader, port } = await setup({ maxInboundConnections: 1 })

    const nextInbound = upgrader.nextInbound()
    const first = await connect(port)
    await nextInbound

    await closeOf(socket(port))
    expect(upgrader.inbound).to.have.lengthOf(1)

    // a slot frees up once the first connection is gone
    first.destroy()
    await waitFor(() => ['closed', 'aborted', 'reset'].includes(upgrader.inbound[0]?.status ?? ''))

    const third = connect(port)
    const accepted = await upgrader.nextInbound()
    await third

    expect(upgrader.inbound).to.have.lengthOf(2)
    expect(accepted.status).to.equal('open')
  })
})
