import { concat } from 'uint8arrays/concat'
import { BadSignatureError, InvalidExchangeError } from '../errors.js'
import { Exchange } from '../pb/secio.js'
import type { ExchangeName } from './algorithms.js'
import type { LocalProposal, RemoteProposal } from './proposal.js'
import type { ExchangeSigner } from './signer.js'

/** Uncompressed SEC1 point length (0x04 ‖ X ‖ Y) per curve. */
export const EPHEMERAL_KEY_LENGTH: Record<ExchangeName, number> = {
  'P-256': 65,
  'P-384': 97,
  'P-521': 133
}

export interface RemoteExchange {
  ephemeralKey: Uint8Array
  signature: Uint8Array
}

/**
 * What a side signs: its own Propose, the peer's, then its own ephemeral key.
 * The peer verifies the mirror image, so each signature binds both proposals.
 */
export function signatureCorpus (signerPropose: Uint8Array, otherPropose: Uint8Array, signerEphemeralKey: Uint8Array): Uint8Array {
  return concat([signerPropose, otherPropose, signerEphemeralKey])
}

export async function createExchange (signer: ExchangeSigner, local: LocalProposal, remote: RemoteProposal, ephemeralKey: Uint8Array): Promise<Uint8Array> {
  const signature = await signer.sign(signatureCorpus(local.bytes, remote.bytes, ephemeralKey))
  return Exchange.encode({ epubkey: new Uint8Array(ephemeralKey), signature: new Uint8Array(signature) })
}

/**
 * Decodes the peer's Exchange. Only the uncompressed form of exactly the
 * curve's length is accepted (Go's `elliptic.Unmarshal` rule); whether the
 * point is on the curve is checked when the secret is computed.
 */
export function readExchange (bytes: Uint8Array, curve: ExchangeName): RemoteExchange {
  let message: Exchange

  try {
    message = Exchange.decode(bytes)
  } catch (err) {
    throw new InvalidExchangeError('the Exchange is not a valid protobuf', { cause: err })
  }

  const ephemeralKey = message.epubkey ?? new Uint8Array()
  const expected = EPHEMERAL_KEY_LENGTH[curve]

  if (ephemeralKey.byteLength !== expected || ephemeralKey[0] !== 0x04) {
    throw new InvalidExchangeError(`the ephemeral ${curve} key must be an uncompressed point of ${expected} bytes, got ${ephemeralKey.byteLength} bytes starting 0x${(ephemeralKey[0] ?? 0).toString(16).padStart(2, '0')}`)
  }

  if (message.signature == null || message.signature.byteLength === 0) {
    throw new InvalidExchangeError('the Exchange carries no signature')
  }

  return { ephemeralKey, signature: message.signature }
}

/** The signature must verify with the permanent key from the peer's Propose. */
export async function verifyExchange (local: LocalProposal, remote: RemoteProposal, exchange: RemoteExchange): Promise<void> {
  const corpus = signatureCorpus(remote.bytes, local.bytes, exchange.ephemeralKey)
  let valid: boolean

  try {
    valid = await remote.identity.verify(corpus, exchange.signature)
  } catch (err) {
    throw new BadSignatureError('the Exchange signature could not be verified', { cause: err })
  }

  if (!valid) {
    throw new BadSignatureError(`the Exchange signature does not verify with ${remote.identity.peerId.toString()}'s key`)
  }
}
