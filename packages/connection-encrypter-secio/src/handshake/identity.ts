import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromMultihash, peerIdFromPublicKey } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { MAX_RSA_BITS, MIN_RSA_BITS } from '../constants.js'
import { InvalidProposeError, UnsupportedIdentityError } from '../errors.js'
import { ownedBytes } from '../owned-bytes.js'
import { KeyType, PublicKey as PublicKeyMessage } from '../pb/secio.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { KeyObject } from 'node:crypto'

/** SHA2-256's multicodec code: PeerIds of keys over 42 protobuf bytes are this multihash. */
const SHA2_256 = 0x12

/** A peer's identity as SECIO needs it: the exact key bytes it sent, its PeerId and a verifier. */
export interface RemoteIdentity {
  type: KeyType
  /** The `pubkey` field as received: a libp2p PublicKey protobuf. */
  protobuf: Uint8Array
  peerId: PeerId
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>
}

/**
 * Vets the `pubkey` of a Propose. Ed25519 and secp256k1 go through
 * `@libp2p/crypto`; RSA and ECDSA are PKIX DER, read with `node:crypto`, which
 * (unlike `@libp2p/crypto` v5) accepts RSA-8192 and Go's ECDSA encoding.
 */
export function decodeRemoteIdentity (protobuf: Uint8Array): RemoteIdentity {
  let message: PublicKeyMessage

  try {
    message = PublicKeyMessage.decode(protobuf)
  } catch (err) {
    throw new InvalidProposeError('the Propose pubkey is not a PublicKey protobuf', { cause: err })
  }

  const data = message.Data ?? new Uint8Array()

  switch (message.Type) {
    case KeyType.Ed25519:
      return fromLibp2pCrypto(KeyType.Ed25519, protobuf, data, 32)
    case KeyType.Secp256k1:
      return fromLibp2pCrypto(KeyType.Secp256k1, protobuf, data, 33)
    case KeyType.RSA:
      return fromPkix(KeyType.RSA, protobuf, data)
    case KeyType.ECDSA:
      return fromPkix(KeyType.ECDSA, protobuf, data)
    default:
      throw new InvalidProposeError(`unsupported identity key type ${String(message.Type)}`)
  }
}

function fromLibp2pCrypto (type: KeyType, protobuf: Uint8Array, data: Uint8Array, length: number): RemoteIdentity {
  if (data.byteLength !== length) {
    throw new InvalidProposeError(`a ${KeyType[type]} key has ${length} bytes, got ${data.byteLength}`)
  }

  let key

  try {
    key = publicKeyFromProtobuf(protobuf)
  } catch (err) {
    throw new InvalidProposeError(`invalid ${KeyType[type]} key`, { cause: err })
  }

  return {
    type,
    protobuf,
    peerId: ownedPeerId(peerIdFromPublicKey(key)),
    verify: async (data, signature) => key.verify(data, signature)
  }
}

function fromPkix (type: KeyType, protobuf: Uint8Array, data: Uint8Array): RemoteIdentity {
  let key: KeyObject

  try {
    key = createPublicKey({ key: Buffer.from(data), format: 'der', type: 'spki' })
  } catch (err) {
    throw new InvalidProposeError(`invalid ${KeyType[type]} key: not PKIX DER`, { cause: err })
  }

  if (type === KeyType.RSA) {
    const bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : 0

    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new InvalidProposeError(`RSA identity keys must have ${MIN_RSA_BITS}..${MAX_RSA_BITS} bits, got ${bits === 0 ? 'a non-RSA key' : bits}`)
    }
  } else if (key.asymmetricKeyType !== 'ec' || !['prime256v1', 'secp384r1', 'secp521r1'].includes(key.asymmetricKeyDetails?.namedCurve ?? '')) {
    throw new InvalidProposeError('ECDSA identity keys must be on P-256, P-384 or P-521')
  }

  // both RSA and ECDSA protobufs exceed the 42 bytes that would be inlined
  const digest = createHash('sha256').update(protobuf).digest()

  return {
    type,
    protobuf,
    peerId: ownedPeerId(peerIdFromMultihash(Digest.create(SHA2_256, digest))),
    // PKCS#1 v1.5 over SHA-256 for RSA, DER-encoded ECDSA over SHA-256, as go-libp2p signs
    verify: async (data, signature) => verifySignature('sha256', data, key, signature)
  }
}

/**
 * The same PeerId, held in memory of its own: the secured connection keeps
 * its remote PeerId for life, and `@libp2p/crypto` encodes an identity
 * multihash into Node's buffer pool (see `ownedBytes`). Its multihash bytes
 * are copied once, and the digest and the key it inlines are views into them.
 */
function ownedPeerId (peerId: PeerId): PeerId {
  return peerIdFromMultihash(Digest.decode(ownedBytes(peerId.toMultihash().bytes)))
}

/** Our own key as we send it, refusing what a SECIO peer could not verify. */
export function localIdentityProtobuf (privateKey: PrivateKey): Uint8Array {
  if (privateKey.type === 'ECDSA') {
    throw new UnsupportedIdentityError('ECDSA identities cannot speak SECIO here: @libp2p/crypto encodes ECDSA keys and signatures differently from go-libp2p (PKIX, DER), so no peer could verify them; use Ed25519, secp256k1 or RSA')
  }

  if (privateKey.type === 'RSA') {
    const bits = Buffer.from(privateKey.publicKey.jwk.n ?? '', 'base64url').byteLength * 8

    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new UnsupportedIdentityError(`RSA identity keys must have ${MIN_RSA_BITS}..${MAX_RSA_BITS} bits for SECIO, this one has ${bits}`)
    }
  }

  return publicKeyToProtobuf(privateKey.publicKey)
}
