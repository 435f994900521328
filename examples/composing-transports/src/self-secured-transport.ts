import { InvalidMultiaddrError, transportSymbol } from '@libp2p/interface'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { Memory } from '@multiformats/multiaddr-matcher'
import { TypedEventEmitter } from 'main-event'
import type { Connection, CreateListenerOptions, DialTransportOptions, Listener, ListenerEvents, MultiaddrConnection, PeerId, Transport, Upgrader } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Who listens at each `/memory/<name>`: its PeerId and how to hand it a connection. */
const listening = new Map<string, { peerId: PeerId, accept: (maConn: MultiaddrConnection, dialer: PeerId) => void }>()

/**
 * A stand-in for a transport that secures its own connections, as QUIC,
 * WebRTC and WebTransport do: their handshake already authenticated the
 * remote, so the upgrader must skip the crypto stage (`skipEncryption`) and be
 * told which peer the transport reached (`remotePeer`). The upgrader still
 * checks that peer against the dialed `/p2p/` id.
 *
 * Here the connections are in-process pipes between `/memory/<name>`
 * addresses, private by construction, and the "handshake" is knowing which
 * PeerId listens at a name; a real transport learns it from its certificate.
 */
class SelfSecuredTransport implements Transport {
  readonly [transportSymbol] = true
  readonly [Symbol.toStringTag] = 'self-secured-memory'

  constructor (private readonly components: { peerId: PeerId }) {}

  async dial (ma: Multiaddr, options: DialTransportOptions): Promise<Connection> {
    const name = nameOf(ma)
    const remote = listening.get(name)

    if (remote == null) {
      throw new Error(`nothing listens on /memory/${name}`)
    }

    const [outbound, inbound] = multiaddrConnectionPair({
      outbound: { remoteAddr: ma },
      inbound: { remoteAddr: multiaddr(`/memory/dialer-of-${name}`) }
    })
    remote.accept(inbound, this.components.peerId)

    // the transport knows who answered; the upgrader checks it is who was dialed
    return options.upgrader.upgradeOutbound(outbound, {
      signal: options.signal,
      onProgress: options.onProgress,
      skipEncryption: true,
      remotePeer: remote.peerId
    })
  }

  createListener (options: CreateListenerOptions): Listener {
    return new SelfSecuredListener(this.components.peerId, options.upgrader)
  }

  listenFilter (addrs: Multiaddr[]): Multiaddr[] {
    return addrs.filter(addr => Memory.exactMatch(addr))
  }

  dialFilter (addrs: Multiaddr[]): Multiaddr[] {
    return addrs.filter(addr => Memory.exactMatch(addr))
  }
}

class SelfSecuredListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  private name?: string

  constructor (private readonly peerId: PeerId, private readonly upgrader: Upgrader) {
    super()
  }

  async listen (ma: Multiaddr): Promise<void> {
    const name = nameOf(ma)
    this.name = name
    listening.set(name, {
      peerId: this.peerId,
      accept: (maConn, dialer) => {
        const signal = this.upgrader.createInboundAbortSignal(AbortSignal.timeout(10_000))
        this.upgrader.upgradeInbound(maConn, { signal, skipEncryption: true, remotePeer: dialer })
          .catch(() => { /* the upgrader closed maConn and logged why */ })
          .finally(() => { signal.clear() })
      }
    })
    this.safeDispatchEvent('listening')
  }

  getAddrs (): Multiaddr[] {
    return this.name == null ? [] : [multiaddr(`/memory/${this.name}`)]
  }

  updateAnnounceAddrs (): void {}

  async close (): Promise<void> {
    if (this.name != null) listening.delete(this.name)
    this.safeDispatchEvent('close')
  }
}

function nameOf (ma: Multiaddr): string {
  const name = ma.getComponents().find(c => c.name === 'memory')?.value

  if (name == null) {
    throw new InvalidMultiaddrError(`${ma.toString()} is not a /memory/ address`)
  }

  return name
}

/** The stand-in transport, as a module factory for `modules.transport` (or js-libp2p's `transports`). */
export function selfSecured (): (components: { peerId: PeerId }) => Transport {
  return (components) => new SelfSecuredTransport(components)
}
