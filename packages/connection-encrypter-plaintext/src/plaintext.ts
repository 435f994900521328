import { AbortError, InvalidCryptoExchangeError, TimeoutError, UnexpectedPeerError, serviceCapabilities } from '@libp2p/interface'
import { handoverStream } from '@uplink/handover'
import { withCause } from './errors.js'
import { decodeExchange, encodeExchange } from './exchange.js'
import { exchangeIo } from './exchange-io.js'
import type { DecodedExchange } from './exchange.js'
import type { PlaintextComponents, PlaintextInit } from './index.js'
import type { ConnectionEncrypter, Logger, MessageStream, PrivateKey, SecureConnectionOptions, SecuredConnection } from '@libp2p/interface'

/**
 * The protocol id negotiated for this connection encrypter
 */
export const PROTOCOL = '/plaintext/2.0.0'

/**
 * Drives the `/plaintext/2.0.0` handshake over a MessageStream. Not exported
 * from the package: construct it through the `plaintext()` factory.
 */
export class Plaintext implements ConnectionEncrypter {
  public readonly protocol = PROTOCOL
  private readonly privateKey: PrivateKey
  private readonly log: Logger
  private readonly encoding: NonNullable<PlaintextInit['encoding']>

  constructor (components: PlaintextComponents, init: PlaintextInit = {}) {
    this.privateKey = components.privateKey
    this.log = components.logger.forComponent('uplink:plaintext')
    this.encoding = init.encoding ?? 'spec'

    if (this.encoding !== 'spec' && this.encoding !== 'legacy-js' && this.encoding !== 'auto') {
      throw new TypeError(`Unknown plaintext encoding "${String(this.encoding)}"`)
    }
  }

  readonly [Symbol.toStringTag] = '@uplink/plaintext'

  // lets js-libp2p v3 resolve this module as a connection encrypter
  readonly [serviceCapabilities]: string[] = [
    '@libp2p/connection-encryption'
  ]

  async secureInbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    return this.handshake(connection, 'inbound', options)
  }

  async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
    return this.handshake(connection, 'outbound', options)
  }

  private async handshake (connection: MessageStream, direction: 'inbound' | 'outbound', options: SecureConnectionOptions = {}): Promise<SecuredConnection> {
    const { signal, remotePeer: expectedPeer } = options
    const publicKey = this.privateKey.publicKey
    // refuses an oversized length prefix before reading or allocating a body
    const lp = exchangeIo(connection)

    try {
      signal?.throwIfAborted()

      let remote: DecodedExchange

      if (this.encoding === 'auto' && direction === 'inbound') {
        // read first so we can answer a legacy dialer in the form it parses
        remote = decodeExchange(await lp.read({ signal }))
        this.log('answering %s-form exchange from %p in kind', remote.encoding, remote.peerId)
        await lp.write(encodeExchange(publicKey, remote.encoding), { signal })
      } else {
        // spec: both sides write immediately, then read the other's message
        await lp.write(encodeExchange(publicKey, this.encoding === 'legacy-js' ? 'legacy-js' : 'spec'), { signal })
        remote = decodeExchange(await lp.read({ signal }))
      }

      if (remote.encoding === 'legacy-js') {
        this.log('%p sent the legacy js-libp2p 0.28/0.29 exchange form (Type=RSA, Data=marshalled %s key)', remote.peerId, remote.publicKey.type)
      }

      if (expectedPeer != null && !remote.peerId.equals(expectedPeer)) {
        // the one class every package throws, with both ids for the upgrader to report
        throw Object.assign(new UnexpectedPeerError(`Expected remote peer ${expectedPeer.toString()} but it presented ${remote.peerId.toString()}`), {
          expected: expectedPeer,
          actual: remote.peerId
        })
      }

      this.log('%s plaintext exchange with %p complete', direction, remote.peerId)

      const { stream, leftover } = lp.unwrap()

      return {
        // the raw stream as it is, starting with anything the peer sent after
        // its Exchange (e.g. multistream-select), and its end after that
        connection: handoverStream(stream, leftover, { logScope: 'plaintext' }),
        remotePeer: remote.peerId
      }
    } catch (err) {
      const error = toHandshakeError(err, signal)
      this.log.error('%s plaintext exchange failed - %e', direction, error)

      // the spec: on a verification or timeout error the connection MUST be
      // terminated abruptly
      connection.abort(error)

      throw error
    }
  }
}

/**
 * Map whatever went wrong onto the named errors callers of a
 * ConnectionEncrypter expect, keeping the original as `cause`
 */
function toHandshakeError (err: unknown, signal?: AbortSignal): Error {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason

    if ((reason as Error | undefined)?.name === 'TimeoutError') {
      return withCause(new TimeoutError('Timed out during the plaintext exchange'), reason)
    }

    return withCause(new AbortError('The plaintext exchange was aborted'), reason)
  }

  if (err instanceof InvalidCryptoExchangeError || err instanceof UnexpectedPeerError) {
    return err
  }

  const message = err instanceof Error ? err.message : String(err)

  return withCause(new InvalidCryptoExchangeError(`Plaintext exchange failed - ${message}`), err)
}
