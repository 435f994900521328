import type { ComponentLogger, ConnectionEncrypter, Libp2pEvents, PeerId, PrivateKey, StreamMuxerFactory, Transport, Upgrader } from '@libp2p/interface'
import type { TypedEventTarget } from 'main-event'

/**
 * What Uplink hands to module factories. It is the subset of js-libp2p's
 * components that transports, encrypters and muxers actually reach for
 * (`@libp2p/tcp`: logger; `@chainsafe/libp2p-noise`: privateKey, peerId,
 * logger, upgrader; plaintext: privateKey, logger; `@libp2p/websockets`:
 * logger, and `events` for its listener; yamux and mplex: nothing), so
 * js-libp2p v3 factories run unchanged.
 */
export interface UplinkComponents {
  privateKey: PrivateKey
  peerId: PeerId
  logger: ComponentLogger
  upgrader: Upgrader
  /**
   * The node-wide event target js-libp2p modules may listen on (the
   * websockets listener waits for `certificate:provision` there). Uplink
   * dispatches nothing on it.
   */
  events: TypedEventTarget<Libp2pEvents>
}

/**
 * A module as js-libp2p configs carry it: a factory `(components) => impl`, or
 * an already-built instance.
 */
export type Module<T> = T | ((components: UplinkComponents) => T)

export type EncrypterModule = Module<ConnectionEncrypter>
export type MuxerModule = Module<StreamMuxerFactory>
export type TransportModule = Module<Transport>

export function instantiate<T> (module: Module<T>, components: UplinkComponents): T {
  return typeof module === 'function'
    ? (module as (components: UplinkComponents) => T)(components)
    : module
}
