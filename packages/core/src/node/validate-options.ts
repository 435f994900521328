import { toMultiaddrs } from '../addresses/to-multiaddrs.js'
import { CRYPTO_CHANNEL, STREAM_MUXER, TRANSPORT, checkModuleList } from '../config/module-list.js'
import { rejectMisnamed, rejectUnknown } from '../config/option-names.js'
import { checkInboundUpgradeLimits, checkLogger, checkMilliseconds, checkOptionsObject, checkPrivateKey } from '../config/option-values.js'
import { UPGRADER_TIMEOUTS } from '../upgrader/validate-init.js'
import type { ConnectionEncrypter, StreamMuxerFactory, Transport } from '@libp2p/interface'
import type { MisnamedOptions } from '../config/option-names.js'
import type { NodeModules, NodeOptions } from './node.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Node options once checked: modules that check what they build (no muxers is `[]`), listen addresses parsed (none is `[]`). */
export interface CheckedNodeOptions extends Omit<NodeOptions, 'addresses' | 'modules'> {
  modules: Omit<NodeModules, 'connection'> & { connection: Required<NodeModules['connection']> }
  addresses: { listen: Multiaddr[] }
}

const BUNDLE = '{ transport: [tcp()], connection: { crypto: [secio()], muxer: [mplex()] } }'
const CREATE_LIBP2P = 'is the js-libp2p createLibp2p option: Uplink\'s node takes'
const IDENTITY = 'Uplink takes privateKey, the identity key the PeerId is derived from'

const TOP_LEVEL: MisnamedOptions = {
  transports: `${CREATE_LIBP2P} modules.transport`,
  connectionEncrypters: `${CREATE_LIBP2P} modules.connection.crypto`,
  connectionEncryption: `${CREATE_LIBP2P} modules.connection.crypto`,
  streamMuxers: `${CREATE_LIBP2P} modules.connection.muxer`,
  transport: 'belongs under modules: use modules.transport',
  crypto: 'belongs under modules.connection: use modules.connection.crypto',
  muxer: 'belongs under modules.connection: use modules.connection.muxer',
  peerId: `is not a Node option: ${IDENTITY}`,
  peerInfo: `is the js-libp2p 0.2x option: ${IDENTITY}`
}

/** The top-level `connection` holds the upgrader's timeouts; the modules are one level down. */
const CONNECTION_TIMEOUTS: MisnamedOptions = {
  crypto: 'belongs under modules: use modules.connection.crypto',
  muxer: 'belongs under modules: use modules.connection.muxer'
}

const MODULES: MisnamedOptions = {
  streamMuxer: 'is the js-libp2p 0.2x name: use modules.connection.muxer',
  connEncryption: 'is the js-libp2p 0.2x name: use modules.connection.crypto',
  transports: 'is not an Uplink option: use modules.transport (singular, as in the js-libp2p 0.2x bundle)',
  crypto: 'belongs under modules.connection: use modules.connection.crypto',
  muxer: 'belongs under modules.connection: use modules.connection.muxer',
  connectionEncrypters: 'is the js-libp2p createLibp2p name: use modules.connection.crypto',
  streamMuxers: 'is the js-libp2p createLibp2p name: use modules.connection.muxer'
}

const MODULES_CONNECTION: MisnamedOptions = {
  encrypters: 'is not an Uplink option: use modules.connection.crypto',
  encryption: 'is not an Uplink option: use modules.connection.crypto',
  connEncryption: 'is the js-libp2p 0.2x name: use modules.connection.crypto',
  connectionEncrypters: 'is the js-libp2p createLibp2p name: use modules.connection.crypto',
  muxers: 'is not an Uplink option: use modules.connection.muxer',
  streamMuxer: 'is the js-libp2p 0.2x name: use modules.connection.muxer',
  streamMuxers: 'is the js-libp2p createLibp2p name: use modules.connection.muxer'
}

const ADDRESSES: MisnamedOptions = {
  announce: 'is not supported: Uplink\'s node announces the addresses it listens on (addresses.listen)',
  noAnnounce: 'is not supported: Uplink\'s node announces the addresses it listens on (addresses.listen)',
  appendAnnounce: 'is not supported: Uplink\'s node announces the addresses it listens on (addresses.listen)'
}

/**
 * Checks the options of `new Node()` / `createNode()` as the user wrote them
 * (plain JavaScript included) and names each mistake by its path in those
 * options, with what to write instead. Unknown top-level keys pass (a
 * subclass may carry its own); inside `modules` every key is known.
 */
export function validateNodeOptions (input: unknown): CheckedNodeOptions {
  const options = checkOptionsObject(input, 'Node options', `{ modules: ${BUNDLE} }`, { optional: false })
  rejectMisnamed(options, '', TOP_LEVEL)

  const connection = checkOptionsObject(options.connection, 'connection', '{ upgradeTimeout: 10_000 }', { optional: true })
  rejectMisnamed(connection, 'connection.', CONNECTION_TIMEOUTS)
  for (const name of UPGRADER_TIMEOUTS) {
    checkMilliseconds(connection[name], `connection.${name}`)
  }
  checkInboundUpgradeLimits(connection.inboundUpgradeLimits, 'connection.inboundUpgradeLimits')

  const modules = checkOptionsObject(options.modules, 'modules', BUNDLE, { optional: false })
  rejectMisnamed(modules, 'modules.', MODULES)
  rejectUnknown(modules, 'modules.', ['transport', 'connection'], 'Uplink\'s modules are transport and connection')

  const connectionModules = checkOptionsObject(modules.connection, 'modules.connection', '{ crypto: [secio()], muxer: [mplex()] }, with at least one crypto channel', { optional: false })
  rejectMisnamed(connectionModules, 'modules.connection.', MODULES_CONNECTION)
  rejectUnknown(connectionModules, 'modules.connection.', ['crypto', 'muxer'], 'modules.connection takes crypto and muxer')

  const transport = checkModuleList<Transport>(modules.transport, 'modules.transport', TRANSPORT, { required: true })
  const crypto = checkModuleList<ConnectionEncrypter>(connectionModules.crypto, 'modules.connection.crypto', CRYPTO_CHANNEL, { required: true })
  const muxer = checkModuleList<StreamMuxerFactory>(connectionModules.muxer, 'modules.connection.muxer', STREAM_MUXER, { required: false })

  const addresses = checkOptionsObject(options.addresses, 'addresses', '{ listen: [\'/ip4/127.0.0.1/tcp/0\'] }', { optional: true })
  rejectMisnamed(addresses, 'addresses.', ADDRESSES)
  const listen = addresses.listen === undefined ? [] : toMultiaddrs(addresses.listen, 'addresses.listen', { allowNone: true })

  checkPrivateKey(options.privateKey, 'privateKey', { required: false })
  checkMilliseconds(options.dialTimeout, 'dialTimeout')
  checkLogger(options.logger, 'logger')

  return { ...options as unknown as NodeOptions, modules: { transport, connection: { crypto, muxer } }, addresses: { ...addresses, listen } }
}
