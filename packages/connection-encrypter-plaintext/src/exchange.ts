/**
 * Pure encoding, decoding and validation of the `/plaintext/2.0.0` Exchange
 * message. Nothing in here touches a stream, so every rule can be unit-tested
 * on bytes alone and the handshake driver stays a thin I/O shell.
 */

import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { InvalidCryptoExchangeError } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { ExchangeTooLargeError, withCause } from './errors.js'
import { Exchange, KeyType, PublicKey as PublicKeyMessage } from './pb/proto.js'
import type { PeerId, PublicKey } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * The largest Exchange message body (excluding its length prefix) we accept.
 *
 * The biggest legitimate message carries an RSA-8192 key, the largest size
 * libp2p allows: its PKIX encoding is 1,062 bytes, plus a 34-byte sha2-256
 * multihash id and a few bytes of protobuf framing (the legacy form adds four
 * more) comes to about 1.1 KiB. 8 KiB leaves ample room for fields a future
 * revision might add, while bounding what a hostile peer can make us buffer
 * before it has proved anything.
 */
export const MAX_EXCHANGE_SIZE = 8192

/**
 * How an Exchange puts the public key on the wire.
 *
 * - `'spec'`: `pubkey.Type` is the real key type and `pubkey.Data` the key in
 *   the peer-id spec's key encoding (what go-libp2p, rust-libp2p and modern
 *   js-libp2p send).
 * - `'legacy-js'`: js-libp2p 0.28/0.29 hard-coded `Type = RSA` and put the
 *   whole marshalled `PublicKey` protobuf (`08 <type> 12 <len> <key>`) in
 *   `Data`, whatever the real key type.
 */
export type ExchangeEncoding = 'spec' | 'legacy-js'

export interface DecodedExchange {
  /**
   * The remote peer's public key
   */
  publicKey: PublicKey

  /**
   * The PeerId derived from `publicKey`, already checked against `id`
   */
  peerId: PeerId

  /**
   * Which form the remote peer used for `pubkey`
   */
  encoding: ExchangeEncoding
}

/**
 * Encode our Exchange message body (without the length prefix)
 */
export function encodeExchange (publicKey: PublicKey, encoding: ExchangeEncoding = 'spec'): Uint8Array {
  const id = publicKey.toMultihash().bytes

  if (encoding === 'legacy-js') {
    return Exchange.encode({
      id,
      pubkey: {
        // js-libp2p 0.28/0.29 always wrote RSA here, and only reads Data
        Type: KeyType.RSA,
        Data: publicKeyToProtobuf(publicKey) as Uint8Array<ArrayBuffer>
      }
    })
  }

  return Exchange.encode({
    id,
    pubkey: {
      Type: KeyType[publicKey.type],
      Data: publicKey.raw as Uint8Array<ArrayBuffer>
    }
  })
}

/**
 * Decode and validate a remote Exchange message body (without the length
 * prefix).
 *
 * Accepts both the spec form and the legacy js-libp2p 0.28/0.29 form, and
 * checks that `id` is the multihash of the PeerId derived from the key.
 *
 * @throws {InvalidCryptoExchangeError} if the message is malformed, has missing
 * fields, carries an unparseable key or an id that does not match the key. The
 * underlying error, if any, is kept as `cause`.
 */
export function decodeExchange (buf: Uint8Array | Uint8ArrayList): DecodedExchange {
  if (buf.byteLength > MAX_EXCHANGE_SIZE) {
    throw withCause(
      new InvalidCryptoExchangeError(`Exchange message of ${buf.byteLength} bytes exceeds the ${MAX_EXCHANGE_SIZE} byte limit`),
      new ExchangeTooLargeError(`${buf.byteLength} > ${MAX_EXCHANGE_SIZE}`)
    )
  }

  let message: Exchange

  try {
    message = Exchange.decode(buf)
  } catch (err) {
    throw withCause(new InvalidCryptoExchangeError('Exchange message is not a valid protobuf'), err)
  }

  const { id, pubkey } = message

  if (id == null || id.byteLength === 0) {
    throw new InvalidCryptoExchangeError('Exchange message has no id')
  }

  if (pubkey == null) {
    throw new InvalidCryptoExchangeError('Exchange message has no pubkey')
  }

  if (pubkey.Type == null) {
    throw new InvalidCryptoExchangeError('Exchange message pubkey has no Type')
  }

  if (pubkey.Data == null || pubkey.Data.byteLength === 0) {
    throw new InvalidCryptoExchangeError('Exchange message pubkey has no Data')
  }

  const { publicKey, encoding } = parsePublicKey(pubkey.Type, pubkey.Data)
  let peerId: PeerId

  try {
    peerId = peerIdFromPublicKey(publicKey)
  } catch (err) {
    // e.g. ECDSA: a valid key, but @libp2p/peer-id cannot make a PeerId of it
    throw withCause(new InvalidCryptoExchangeError(`Cannot derive a PeerId from a ${publicKey.type} public key`), err)
  }

  if (!uint8ArrayEquals(peerId.toMultihash().bytes, id)) {
    throw new InvalidCryptoExchangeError(`Exchange id ${describeId(id)} does not match ${peerId.toString()}, the PeerId derived from the public key`)
  }

  return { publicKey, peerId, encoding }
}

/**
 * Parse `pubkey` in the spec form, falling back to the legacy js-libp2p form
 * only where that form is unambiguous: it always claims RSA, and a marshalled
 * PublicKey protobuf starts with `0x08` where an RSA PKIX key (a DER SEQUENCE)
 * starts with `0x30`, so no valid spec-form RSA key is ever mistaken for it.
 */
function parsePublicKey (type: KeyType, data: Uint8Array): { publicKey: PublicKey, encoding: ExchangeEncoding } {
  let specError: unknown

  try {
    // the spec-form pubkey is exactly the libp2p PublicKey message, so reuse
    // the crypto module's per-type parsers and size limits through it
    return {
      publicKey: publicKeyFromProtobuf(PublicKeyMessage.encode({ Type: type, Data: data as Uint8Array<ArrayBuffer> })),
      encoding: 'spec'
    }
  } catch (err) {
    specError = err
  }

  if (type === KeyType.RSA) {
    const legacy = parseLegacyPublicKey(data)

    if (legacy != null) {
      return { publicKey: legacy, encoding: 'legacy-js' }
    }
  }

  throw withCause(new InvalidCryptoExchangeError(`Exchange message pubkey is not a valid ${type} public key`), specError)
}

/**
 * Returns the key if `data` is a complete, canonically encoded PublicKey
 * protobuf holding a valid key, otherwise `undefined`
 */
function parseLegacyPublicKey (data: Uint8Array): PublicKey | undefined {
  try {
    const inner = PublicKeyMessage.decode(data)

    if (inner.Type == null || inner.Data == null || inner.Data.byteLength === 0) {
      return undefined
    }

    // Re-encoding must reproduce the input byte for byte: this rejects
    // trailing garbage, unknown fields and duplicated fields, so only a
    // message that really is a marshalled key gets through
    if (!uint8ArrayEquals(PublicKeyMessage.encode(inner), data)) {
      return undefined
    }

    return publicKeyFromProtobuf(data)
  } catch {
    return undefined
  }
}

/**
 * PeerIds print as the base58btc encoding of their multihash, so this shows
 * the id the way the remote would have written it, even when it is not a
 * valid multihash
 */
function describeId (id: Uint8Array): string {
  return uint8ArrayToString(id, 'base58btc')
}

/**
 * The number of bytes needed to write `value` as an unsigned varint
 */
function varintLength (value: number): number {
  let bytes = 1

  while (value >= 0x80) {
    value = Math.floor(value / 0x80)
    bytes++
  }

  return bytes
}

/**
 * The unsigned-varint length prefix of an Exchange message body of `length` bytes
 */
export function encodeLengthPrefix (length: number): Uint8Array {
  const prefix = new Uint8Array(varintLength(length))

  for (let i = 0; i < prefix.length; i++) {
    prefix[i] = (length % 0x80) | (i < prefix.length - 1 ? 0x80 : 0)
    length = Math.floor(length / 0x80)
  }

  return prefix
}

/**
 * Decode the unsigned-varint length prefix of an Exchange message, rejecting a
 * too-large length as early as possible.
 *
 * Meant as the `lengthDecoder` of `lpStream`, which calls it again after each
 * byte it reads and treats a `RangeError` as "need another byte". The value
 * decoded so far is a lower bound on the final value, so we can reject as soon
 * as it passes `max`, or once the prefix is longer than `max` could ever need,
 * instead of reading (and buffering) a body we will never accept.
 *
 * @throws {RangeError} when more bytes are needed
 * @throws {ExchangeTooLargeError} when the length is, or will be, above `max`
 */
export function decodeLengthPrefix (buf: Uint8ArrayList | Uint8Array, max: number = MAX_EXCHANGE_SIZE): number {
  const maxPrefixLength = varintLength(max)
  let value = 0

  for (let i = 0; i < buf.byteLength; i++) {
    if (i >= maxPrefixLength) {
      throw new ExchangeTooLargeError(`Exchange length prefix is longer than the ${maxPrefixLength} bytes needed for the ${max} byte limit`)
    }

    const byte = 'get' in buf ? buf.get(i) : buf[i] ?? 0
    value += (byte & 0x7f) * 2 ** (7 * i)

    if (value > max) {
      throw new ExchangeTooLargeError(`Exchange message length ${(byte & 0x80) === 0 ? '' : 'of at least '}${value} bytes exceeds the ${max} byte limit`)
    }

    if ((byte & 0x80) === 0) {
      return value
    }
  }

  throw new RangeError('Incomplete length prefix')
}
