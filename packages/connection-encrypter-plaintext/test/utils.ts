import { defaultLogger } from '@libp2p/logger'
import { lpStream } from '@libp2p/utils'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { plaintext } from '../src/index.js'
import type { PlaintextInit } from '../src/index.js'
import type { ConnectionEncrypter, MessageStream, PrivateKey, PublicKey } from '@libp2p/interface'

export function createEncrypter (privateKey: PrivateKey, init?: PlaintextInit): ConnectionEncrypter {
  return plaintext(init)({ privateKey, logger: defaultLogger() })
}

/**
 * Await a promise that must reject, and return what it rejected with
 */
export async function rejection (promise: Promise<unknown>): Promise<Error & { cause?: any }> {
  try {
    await promise
  } catch (err: any) {
    return err
  }

  throw new Error('Expected the promise to reject')
}

// ---------------------------------------------------------------------------
// Protobuf written out by hand, so the tests do not trust the codec under test

export function varint (value: number): Uint8Array {
  const out: number[] = []

  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }

  out.push(value)

  return Uint8Array.from(out)
}

/**
 * A length-delimited protobuf field (wire type 2)
 */
export function bytesField (fieldNumber: number, value: Uint8Array): Uint8Array {
  return uint8ArrayConcat([varint((fieldNumber << 3) | 2), varint(value.byteLength), value])
}

/**
 * A varint protobuf field (wire type 0)
 */
export function varintField (fieldNumber: number, value: number): Uint8Array {
  return uint8ArrayConcat([varint(fieldNumber << 3), varint(value)])
}

export const KEY_TYPE_NUMBER: Record<PublicKey['type'], number> = {
  RSA: 0,
  Ed25519: 1,
  secp256k1: 2,
  ECDSA: 3
}

/**
 * `PublicKey { Type, Data }` as in the peer-id spec
 */
export function publicKeyMessage (type: number, data: Uint8Array): Uint8Array {
  return uint8ArrayConcat([varintField(1, type), bytesField(2, data)])
}

export function exchangeMessage (id: Uint8Array | undefined, pubkey: Uint8Array | undefined): Uint8Array {
  return uint8ArrayConcat([
    ...(id == null ? [] : [bytesField(1, id)]),
    ...(pubkey == null ? [] : [bytesField(2, pubkey)])
  ])
}

/**
 * The spec-form Exchange for a key
 */
export function specExchange (key: PublicKey): Uint8Array {
  return exchangeMessage(key.toMultihash().bytes, publicKeyMessage(KEY_TYPE_NUMBER[key.type], key.raw))
}

/**
 * What js-libp2p 0.28/0.29 sends: `Type` hard-coded to RSA (0), `Data` the
 * whole marshalled PublicKey protobuf of the real key
 */
export function legacyExchange (key: PublicKey): Uint8Array {
  const marshalled = publicKeyMessage(KEY_TYPE_NUMBER[key.type], key.raw)

  return exchangeMessage(key.toMultihash().bytes, publicKeyMessage(0, marshalled))
}

/**
 * Prefix a message body with its unsigned-varint length
 */
export function frame (body: Uint8Array): Uint8Array {
  return uint8ArrayConcat([varint(body.byteLength), body])
}

/**
 * Read one length-prefixed message from the raw end of a pair, then hand the
 * stream back so the test can keep using it
 */
export async function readFrame (stream: MessageStream): Promise<Uint8Array> {
  const lp = lpStream(stream)
  const buf = await lp.read({ signal: AbortSignal.timeout(5000) })
  lp.unwrap()

  return buf.subarray()
}

/**
 * Resolve with the next `count` bytes the stream emits
 */
export async function collectBytes (stream: MessageStream, count: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let received = 0

  return new Promise((resolve, reject) => {
    const onMessage = (evt: { data: { subarray(): Uint8Array } }): void => {
      const chunk = evt.data.subarray()
      chunks.push(chunk)
      received += chunk.byteLength

      if (received >= count) {
        stream.removeEventListener('message', onMessage)
        resolve(uint8ArrayConcat(chunks))
      }
    }

    stream.addEventListener('message', onMessage)
    stream.addEventListener('close', (evt) => {
      reject(evt.error ?? new Error(`Stream closed after ${received}/${count} bytes`))
    }, { once: true })
  })
}
