import { createHash } from 'node:crypto'
import { compare } from 'uint8arrays/compare'
import { NONCE_LENGTH } from '../constants.js'
import { InvalidProposeError, SelfConnectionError } from '../errors.js'
import { Propose } from '../pb/secio.js'
import { selectBest, splitList } from './algorithms.js'
import { decodeRemoteIdentity } from './identity.js'
import type { CipherName, ExchangeName, HashName, Preferences, Suite } from './algorithms.js'
import type { RemoteIdentity } from './identity.js'

/** Our Propose: the exact bytes sent are signed later, so they are kept. */
export interface LocalProposal {
  bytes: Uint8Array
  nonce: Uint8Array
  publicKey: Uint8Array
  preferences: Preferences
}

/** The peer's Propose: the exact bytes received (never re-encoded) plus what they say. */
export interface RemoteProposal {
  bytes: Uint8Array
  nonce: Uint8Array
  identity: RemoteIdentity
  exchanges: string[]
  ciphers: string[]
  hashes: string[]
}

export function createProposal (publicKey: Uint8Array, nonce: Uint8Array, preferences: Preferences): LocalProposal {
  // protons wants ArrayBuffer-backed arrays; these are a few dozen bytes
  const bytes = Propose.encode({
    rand: new Uint8Array(nonce),
    pubkey: new Uint8Array(publicKey),
    exchanges: preferences.exchanges.join(','),
    ciphers: preferences.ciphers.join(','),
    hashes: preferences.hashes.join(',')
  })

  return { bytes, nonce, publicKey, preferences }
}

/** Decodes and vets the peer's Propose; missing lists read as empty (Go does the same) and fail selection. */
export function readProposal (bytes: Uint8Array): RemoteProposal {
  let message: Propose

  try {
    message = Propose.decode(bytes)
  } catch (err) {
    throw new InvalidProposeError('the Propose is not a valid protobuf', { cause: err })
  }

  if (message.rand?.byteLength !== NONCE_LENGTH) {
    throw new InvalidProposeError(`the Propose nonce must have ${NONCE_LENGTH} bytes, got ${message.rand?.byteLength ?? 0}`)
  }

  if (message.pubkey == null || message.pubkey.byteLength === 0) {
    throw new InvalidProposeError('the Propose carries no public key')
  }

  return {
    bytes,
    nonce: message.rand,
    identity: decodeRemoteIdentity(message.pubkey),
    exchanges: splitList(message.exchanges),
    ciphers: splitList(message.ciphers),
    hashes: splitList(message.hashes)
  }
}

/**
 * Who is preferred: compare SHA-256(theirKey ‖ ourNonce) with
 * SHA-256(ourKey ‖ theirNonce). The two peers get opposite signs; equal
 * digests mean the same key and nonce on both ends.
 */
export function computeOrder (local: LocalProposal, remote: RemoteProposal): 1 | -1 {
  const oh1 = createHash('sha256').update(remote.identity.protobuf).update(local.nonce).digest()
  const oh2 = createHash('sha256').update(local.publicKey).update(remote.nonce).digest()
  const order = compare(oh1, oh2)

  if (order === 0) {
    throw new SelfConnectionError()
  }

  return order > 0 ? 1 : -1
}

/** The suite both sides reach independently. */
export function selectSuite (order: 1 | -1, local: LocalProposal, remote: RemoteProposal): Suite {
  return {
    exchange: selectBest(order, local.preferences.exchanges, remote.exchanges) as ExchangeName,
    cipher: selectBest(order, local.preferences.ciphers, remote.ciphers) as CipherName,
    hash: selectBest(order, local.preferences.hashes, remote.hashes) as HashName
  }
}
