import { InvalidParametersError } from '@libp2p/interface'
import { CRYPTO_CHANNEL, STREAM_MUXER, checkModuleList } from '../config/module-list.js'
import { rejectMisnamed } from '../config/option-names.js'
import { checkInboundUpgradeLimits, checkLogger, checkMilliseconds, checkOptionsObject, checkPrivateKey } from '../config/option-values.js'
import { describeValue } from '../config/describe-value.js'
import type { ConnectionEncrypter, StreamMuxerFactory } from '@libp2p/interface'
import type { MisnamedOptions } from '../config/option-names.js'
import type { UpgraderInit } from './upgrader.js'

/** Upgrader options once checked: modules that check what they build, no muxers as `[]`. */
export type CheckedUpgraderInit = UpgraderInit & Required<Pick<UpgraderInit, 'streamMuxers'>>

/** The upgrader's timeouts; a Node takes them under its `connection` option. */
export const UPGRADER_TIMEOUTS = ['upgradeTimeout', 'protocolNegotiationTimeout', 'connectionCloseTimeout'] as const

const NOT_AN_OPTION = 'is not a createUpgrader option:'

const MISNAMED: MisnamedOptions = {
  encrypters: `${NOT_AN_OPTION} use connectionEncrypters`,
  crypto: `${NOT_AN_OPTION} use connectionEncrypters`,
  connectionEncryption: `${NOT_AN_OPTION} use connectionEncrypters (the js-libp2p 0.4x-1.x name)`,
  connEncryption: `${NOT_AN_OPTION} use connectionEncrypters (connEncryption is the js-libp2p 0.2x name)`,
  muxers: `${NOT_AN_OPTION} use streamMuxers`,
  muxer: `${NOT_AN_OPTION} use streamMuxers`,
  streamMuxer: `${NOT_AN_OPTION} use streamMuxers (streamMuxer is the js-libp2p 0.2x name)`,
  peerId: `${NOT_AN_OPTION} use privateKey, the identity key the PeerId is derived from`,
  transports: `${NOT_AN_OPTION} the upgrader takes raw connections (upgradeOutbound, upgradeInbound); transports belong in a Node's modules.transport`,
  modules: `${NOT_AN_OPTION} modules is the Node's option; createUpgrader takes connectionEncrypters and streamMuxers`
}

/**
 * Checks what `createUpgrader()` is given, in its own option names, and
 * returns it with module factories that check what they build.
 */
export function validateUpgraderInit (input: unknown): CheckedUpgraderInit {
  const init = checkOptionsObject(input, 'createUpgrader options', '{ privateKey, connectionEncrypters: [secio()], streamMuxers: [yamux()] }', { optional: false })
  rejectMisnamed(init, '', MISNAMED)
  checkPrivateKey(init.privateKey, 'privateKey', { required: 'createUpgrader' })

  const connectionEncrypters = checkModuleList<ConnectionEncrypter>(init.connectionEncrypters, 'connectionEncrypters', CRYPTO_CHANNEL, { required: true })
  const streamMuxers = checkModuleList<StreamMuxerFactory>(init.streamMuxers, 'streamMuxers', STREAM_MUXER, { required: false })

  for (const name of UPGRADER_TIMEOUTS) {
    checkMilliseconds(init[name], name)
  }

  checkInboundUpgradeLimits(init.inboundUpgradeLimits, 'inboundUpgradeLimits')

  if (init.streamHandlers !== undefined && typeof (init.streamHandlers as Record<string, unknown> | null)?.handle !== 'function') {
    throw new InvalidParametersError(`streamHandlers is ${describeValue(init.streamHandlers)}: expected a StreamHandlerRegistry`)
  }

  checkLogger(init.logger, 'logger')

  return { ...init as unknown as UpgraderInit, connectionEncrypters, streamMuxers }
}
