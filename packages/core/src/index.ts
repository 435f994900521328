/**
 * @packageDocumentation
 *
 * Uplink's core: the connection upgrade pipeline and a small node built on it.
 *
 * ```
 * raw MultiaddrConnection
 *   → multistream-select picks a crypto channel   (negotiate-crypto)
 *   → the crypto channel's handshake              (handshake)
 *   → the remote is the peer we dialed            (verify-peer)
 *   → multistream-select picks a stream muxer     (negotiate-muxer)
 *   → Connection: streams opened by protocol id
 * ```
 *
 * `createUpgrader()` runs that pipeline on its own, with no node, peer store
 * or registrar; `Node`/`createNode()` add transports, listening, dialing and
 * connection reuse in the shape of the classic js-libp2p bundle. Modules are
 * js-libp2p v3 module factories, so `@libp2p/tcp`, `@chainsafe/libp2p-noise`,
 * `@chainsafe/libp2p-yamux` and `@libp2p/mplex` plug in unchanged.
 *
 * @module @uplink/core
 */

// first: it refuses an old Node.js before any dependency runs (see runtime/node-version.ts)
export { MINIMUM_NODE_VERSION, UnsupportedNodeVersionError } from './runtime/node-version.js'
export { createUpgrader } from './upgrader/upgrader.js'
export type { UpgraderInit, UpgraderEvents, UplinkUpgrader, InboundUpgradeLimits } from './upgrader/upgrader.js'
export type { UpgradeProgressEvents, NegotiatedProtocol, SecuredSession, VerifiedPeer } from './upgrader/progress.js'
export { Node, createNode } from './node/node.js'
export type { NodeOptions, NodeModules, NodeEvents } from './node/node.js'
export { StreamHandlerRegistry } from './connection/stream-handlers.js'
export type { UplinkConnection } from './connection/connection.js'
export type { AddrInput } from './addresses/to-multiaddrs.js'
export type { UplinkComponents, Module, EncrypterModule, MuxerModule, TransportModule } from './components.js'
export * from './constants.js'
export * from './errors.js'
