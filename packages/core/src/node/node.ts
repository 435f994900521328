import { InvalidParametersError, ListenError, NotStartedError } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { TypedEventEmitter } from 'main-event'
import { instantiate } from '../components.js'
import { DEFAULT_DIAL_TIMEOUT } from '../constants.js'
import { TransportUnavailableError } from '../errors.js'
import { createUpgrader } from '../upgrader/upgrader.js'
import { deadlineSignal } from '@uplink/deadline'
import { expectedPeer } from '../upgrader/verify-peer.js'
import { generateEd25519Identity } from './identity.js'
import { SharedDial } from './shared-dial.js'
import { toMultiaddrs } from '../addresses/to-multiaddrs.js'
import { hangUpTarget } from './hang-up-target.js'
import { validateNodeOptions } from './validate-options.js'
import type { AddrInput } from '../addresses/to-multiaddrs.js'
import type { EncrypterModule, MuxerModule, TransportModule } from '../components.js'
import type { UplinkConnection } from '../connection/connection.js'
import type { UpgraderInit, UplinkUpgrader } from '../upgrader/upgrader.js'
import type {
  AbortOptions, ComponentLogger, Listener, Logger, PeerId, PrivateKey, Stream, StreamHandler,
  StreamHandlerOptions, Transport
} from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The modules of a node, in the shape of the classic js-libp2p bundle. */
export interface NodeModules {
  transport: TransportModule[]
  connection: {
    /** Crypto channels, in preference order. */
    crypto: EncrypterModule[]
    /** Stream muxers, in preference order. */
    muxer?: MuxerModule[]
  }
}

export interface NodeOptions {
  modules: NodeModules

  /** This node's identity. @default a new Ed25519 key */
  privateKey?: PrivateKey

  addresses?: {
    /** Multiaddrs to listen on when the node starts, e.g. `/ip4/127.0.0.1/tcp/0`. */
    listen?: AddrInput | AddrInput[]
  }

  /**
   * Milliseconds one dial may take, reaching the address and upgrading the
   * connection together.
   *
   * @default DEFAULT_DIAL_TIMEOUT (30 000)
   */
  dialTimeout?: number

  /** Upgrade and connection timeouts and inbound upgrade limits, passed to the upgrader. */
  connection?: Pick<UpgraderInit, 'upgradeTimeout' | 'protocolNegotiationTimeout' | 'connectionCloseTimeout' | 'inboundUpgradeLimits'>

  logger?: ComponentLogger
}

export interface NodeEvents {
  'connection:open': CustomEvent<UplinkConnection>
  'connection:close': CustomEvent<UplinkConnection>
  /** The first connection to a peer opened. */
  'peer:connect': CustomEvent<PeerId>
  /** The last connection to a peer closed. */
  'peer:disconnect': CustomEvent<PeerId>
}

/**
 * A small libp2p-style node: transports, an upgrader, connections and stream
 * handlers. Subclass it to fix the modules, as the js-libp2p tutorials do with
 * their `MyBundle`.
 */
export class Node extends TypedEventEmitter<NodeEvents> {
  readonly peerId: PeerId
  readonly upgrader: UplinkUpgrader
  private readonly transports: Transport[]
  private readonly listenAddrs: Multiaddr[]
  private readonly dialTimeout: number
  private readonly log: Logger
  private readonly listeners: Listener[] = []
  private readonly connections = new Map<string, UplinkConnection[]>()
  /** The attempt each peer (or address list) is being dialed by; an abandoned attempt leaves at once. */
  private readonly dials = new Map<string, SharedDial<UplinkConnection>>()
  /** Every attempt still running, abandoned or not, so `stop()` can wait for them. */
  private readonly attempts = new Set<SharedDial<UplinkConnection>>()
  private started = false

  constructor (init: NodeOptions) {
    super()
    const options = validateNodeOptions(init)
    const logger = options.logger ?? defaultLogger()
    this.log = logger.forComponent('uplink:node')
    this.upgrader = createUpgrader({
      ...options.connection,
      privateKey: options.privateKey ?? generateEd25519Identity(),
      connectionEncrypters: options.modules.connection.crypto,
      streamMuxers: options.modules.connection.muxer,
      logger
    })
    this.peerId = this.upgrader.peerId
    this.transports = options.modules.transport.map(module => instantiate(module, this.upgrader.components))
    this.listenAddrs = options.addresses.listen
    this.dialTimeout = options.dialTimeout ?? DEFAULT_DIAL_TIMEOUT

    this.upgrader.addEventListener('connection:open', (evt) => { this.track(evt.detail) })
    this.upgrader.addEventListener('connection:close', (evt) => { this.untrack(evt.detail) })
  }

  readonly [Symbol.toStringTag] = '@uplink/node'

  get status (): 'started' | 'stopped' {
    return this.started ? 'started' : 'stopped'
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true

    try {
      for (const addr of this.listenAddrs) {
        const transport = this.transportFor(addr, 'listen')
        const listener = transport.createListener({ upgrader: this.upgrader })
        this.listeners.push(listener)
        await listener.listen(addr)
      }
    } catch (err: any) {
      await this.stop()
      const error = new ListenError(`could not listen: ${err.message}`)
      error.cause = err
      throw error
    }

    this.log('started %p, listening on %s', this.peerId, this.getMultiaddrs().map(String).join(', '))
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false

    for (const dial of this.attempts) {
      dial.abort(new NotStartedError('the node stopped'))
    }

    // connections first, through their muxers: a listener closing the raw
    // sockets underneath a live muxer makes the muxer write to a closing socket
    await Promise.all([
      ...this.getConnections().map(async connection => connection.close()),
      ...[...this.attempts].map(async dial => dial.settled)
    ])
    await Promise.all(this.listeners.splice(0).map(async listener => listener.close()))
    this.log('stopped %p', this.peerId)
  }

  /** The addresses this node listens on, each ending in `/p2p/<its PeerId>`. */
  getMultiaddrs (): Multiaddr[] {
    return this.listeners
      .flatMap(listener => listener.getAddrs())
      .map(addr => addr.encapsulate(`/p2p/${this.peerId.toString()}`))
  }

  handle (protocols: string | string[], handler: StreamHandler, options?: StreamHandlerOptions): void {
    this.upgrader.handle(protocols, handler, options)
  }

  unhandle (protocols: string | string[]): void {
    this.upgrader.unhandle(protocols)
  }

  getProtocols (): string[] {
    return this.upgrader.getProtocols()
  }

  getConnections (peerId?: PeerId): UplinkConnection[] {
    if (peerId != null) {
      return [...(this.connections.get(peerId.toString()) ?? [])]
    }

    return [...this.connections.values()].flat()
  }

  getPeers (): PeerId[] {
    return [...this.connections.values()].flatMap(list => list.slice(0, 1).map(connection => connection.remotePeer))
  }

  /**
   * Connects to a peer. With a `/p2p/<PeerId>` component the remote must prove
   * it owns that PeerId's key, an open connection to it is reused and
   * concurrent dials share one attempt. Without one, whoever answers is
   * accepted: nothing is verified. Several addresses (of one peer) are tried
   * in order until one connects.
   */
  async dial (addrs: AddrInput | AddrInput[], options: AbortOptions = {}): Promise<UplinkConnection> {
    if (!this.started) {
      throw new NotStartedError('the node must be started before it can dial')
    }

    options.signal?.throwIfAborted()
    const targets = toMultiaddrs(addrs)
    const peer = expectedPeerOf(targets)
    const existing = peer == null ? undefined : this.openConnectionTo(peer)

    if (existing != null) {
      return existing
    }

    const key = peer?.toString() ?? targets.map(String).join(',')
    let dial = this.dials.get(key)

    if (dial == null || dial.abandoned) {
      const created: SharedDial<UplinkConnection> = new SharedDial(async signal => this.dialAny(targets, signal), () => {
        this.forget(key, created)
      })
      this.dials.set(key, created)
      this.attempts.add(created)
      void created.settled.then(() => {
        this.forget(key, created)
        this.attempts.delete(created)
      })
      dial = created
    }

    return dial.join(options)
  }

  /** Dials (or reuses a connection) and opens a stream negotiated to one of `protocols`. */
  async dialProtocol (addr: AddrInput | AddrInput[], protocols: string | string[], options: AbortOptions = {}): Promise<Stream> {
    const connection = await this.dial(addr, options)
    return connection.newStream(protocols, options)
  }

  /** Closes every connection to a peer, given its PeerId or an address ending in `/p2p/<PeerId>`. */
  async hangUp (peer: PeerId | AddrInput, options: AbortOptions = {}): Promise<void> {
    const peerId = hangUpTarget(peer)
    await Promise.all(this.getConnections(peerId).map(async connection => connection.close(options)))
  }

  private async dialAny (targets: Multiaddr[], attemptSignal: AbortSignal): Promise<UplinkConnection> {
    const signal = deadlineSignal(attemptSignal, this.dialTimeout)
    const errors: Error[] = []

    try {
      for (const addr of targets) {
        try {
          this.log('dialing %a', addr)
          return await this.transportFor(addr, 'dial').dial(addr, { signal, upgrader: this.upgrader })
        } catch (err: any) {
          this.log('dial to %a failed - %e', addr, err)
          errors.push(err)

          if (signal.aborted) break
        }
      }
    } finally {
      signal.clear()
    }

    throw errors.length === 1 ? errors[0] : new AggregateError(errors, `all ${errors.length} addresses failed`)
  }

  private forget (key: string, dial: SharedDial<UplinkConnection>): void {
    if (this.dials.get(key) === dial) {
      this.dials.delete(key)
    }
  }

  private transportFor (addr: Multiaddr, use: 'dial' | 'listen'): Transport {
    const transport = this.transports.find(t => (use === 'dial' ? t.dialFilter([addr]) : t.listenFilter([addr])).length > 0)

    if (transport == null) {
      throw new TransportUnavailableError(`no configured transport can ${use} on ${addr.toString()}`)
    }

    return transport
  }

  private openConnectionTo (peer: PeerId): UplinkConnection | undefined {
    return this.connections.get(peer.toString())?.find(connection => connection.status === 'open')
  }

  private track (connection: UplinkConnection): void {
    const key = connection.remotePeer.toString()
    const list = this.connections.get(key) ?? []
    list.push(connection)
    this.connections.set(key, list)
    this.safeDispatchEvent('connection:open', { detail: connection })

    if (list.length === 1) {
      this.safeDispatchEvent('peer:connect', { detail: connection.remotePeer })
    }
  }

  private untrack (connection: UplinkConnection): void {
    const key = connection.remotePeer.toString()
    const list = (this.connections.get(key) ?? []).filter(c => c !== connection)

    if (list.length > 0) {
      this.connections.set(key, list)
    } else {
      this.connections.delete(key)
    }

    this.safeDispatchEvent('connection:close', { detail: connection })

    if (list.length === 0) {
      this.safeDispatchEvent('peer:disconnect', { detail: connection.remotePeer })
    }
  }
}

/** The one PeerId the addresses name, if any; addresses of different peers are a caller error. */
function expectedPeerOf (addrs: Multiaddr[]): PeerId | undefined {
  const peers = addrs.map(expectedPeer).filter(peer => peer != null)
  const [first] = peers

  if (first != null && peers.some(peer => !peer.equals(first))) {
    throw new InvalidParametersError('dial was given addresses of different peers')
  }

  return first
}

/** Creates a node and starts it (listening on `addresses.listen`). */
export async function createNode (options: NodeOptions): Promise<Node> {
  const node = new Node(options)
  await node.start()
  return node
}
