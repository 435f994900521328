import { serviceCapabilities } from '@libp2p/interface'
import { deadlineSignal } from '@uplink/deadline'
import {
  DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_LEADING_ZERO_WAIT, DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_SEND_CHUNK, PROTOCOL
} from './constants.js'
import { macLength } from './framing/frame-cipher.js'
import { checkPreferences } from './handshake/algorithms.js'
import { performHandshake } from './handshake/perform-handshake.js'
import { identitySigner } from './handshake/signer.js'
import type { Preferences, Suite } from './handshake/algorithms.js'
import type { EphemeralKeyFactory } from './handshake/secret.js'
import type { ExchangeSigner } from './handshake/signer.js'
import type { SecioComponents, SecioInit } from './index.js'
import type { SecioProgressOptions } from './progress.js'
import type { ConnectionEncrypter, Logger, MessageStream, PrivateKey, SecureConnectionOptions, SecuredConnection } from '@libp2p/interface'

/** Test-only knobs that make a handshake reproducible; not part of the public options. */
export interface SecioTestHooks {
  nonce?: Uint8Array
  createEphemeral?: EphemeralKeyFactory
}

export class Secio implements ConnectionEncrypter<Suite> {
  readonly protocol = PROTOCOL
  private readonly privateKey: PrivateKey
  private readonly signer: ExchangeSigner
  private readonly log: Logger
  private readonly preferences: Preferences
  private readonly maxFrameLength: number
  private readonly maxSendChunk: number
  private readonly leadingZeroWait: number
  private readonly handshakeTimeout: number
  private readonly hooks: SecioTestHooks

  constructor (components: SecioComponents, init: SecioInit = {}, hooks: SecioTestHooks = {}) {
    this.privateKey = components.privateKey
    this.signer = identitySigner(components.privateKey)
    this.log = components.logger.forComponent('uplink:secio')
    this.preferences = checkPreferences(init)
    this.maxFrameLength = init.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH
    // a frame is the chunk plus its MAC, and peers refuse frames over 8 MiB
    this.maxSendChunk = Math.min(init.maxSendChunk ?? DEFAULT_MAX_SEND_CHUNK, DEFAULT_MAX_FRAME_LENGTH - macLength('SHA512'))
    this.leadingZeroWait = init.leadingZeroWait ?? DEFAULT_LEADING_ZERO_WAIT
    this.handshakeTimeout = init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT
    this.hooks = hooks
  }

  readonly [Symbol.toStringTag] = '@uplink/secio'

  readonly [serviceCapabilities]: string[] = ['@libp2p/connection-encryption']

  async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions & SecioProgressOptions): Promise<SecuredConnection<Suite>> {
    return this.secure(connection, options)
  }

  async secureInbound (connection: MessageStream, options?: SecureConnectionOptions & SecioProgressOptions): Promise<SecuredConnection<Suite>> {
    return this.secure(connection, options)
  }

  /**
   * SECIO is symmetric: both directions run the same handshake; a failure
   * closes the connection. The handshake's deadline is cleared however it
   * ends, so a finished handshake leaves no timer or listener behind.
   */
  private async secure (connection: MessageStream, options: SecureConnectionOptions & SecioProgressOptions = {}): Promise<SecuredConnection<Suite>> {
    const signal = deadlineSignal(options.signal, this.handshakeTimeout, 'the SECIO handshake')

    try {
      const result = await performHandshake(connection, {
        ...this.hooks,
        privateKey: this.privateKey,
        signer: this.signer,
        preferences: this.preferences,
        expectedPeer: options.remotePeer,
        maxFrameLength: this.maxFrameLength,
        maxSendChunk: this.maxSendChunk,
        leadingZeroWait: this.leadingZeroWait,
        onProgress: options.onProgress,
        log: connection.log?.newScope('secio') ?? this.log,
        signal
      })

      return { connection: result.connection, remotePeer: result.remotePeer, remoteExtensions: result.suite }
    } catch (err: any) {
      this.log.error('secio handshake failed - %e', err)
      connection.abort(err)
      throw err
    } finally {
      signal.clear()
    }
  }
}
