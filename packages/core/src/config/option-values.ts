import { InvalidParametersError } from '@libp2p/interface'
import { describeValue } from './describe-value.js'

/** Node.js timers hold a signed 32-bit delay; a longer one fires after 1 ms instead. */
const LONGEST_TIMER_MS = 2 ** 31 - 1

/** An options object (or nothing, when `optional`), so its keys can be read. */
export function checkOptionsObject (value: unknown, path: string, expected: string, options: { optional: boolean }): Record<string, unknown> {
  if (value === undefined) {
    if (options.optional) return {}
    throw new InvalidParametersError(`${path} is missing: expected ${expected}`)
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParametersError(`${path} must be an object such as ${expected}; got ${describeValue(value)}`)
  }

  return value as Record<string, unknown>
}

/** A duration in milliseconds: positive, and either one a timer can wait or `Infinity` for none. */
export function checkMilliseconds (value: unknown, path: string): void {
  if (value === undefined) {
    return
  }

  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new InvalidParametersError(`${path} must be a positive number of milliseconds (Infinity for no limit); got ${describeValue(value)}`)
  }

  if (value > LONGEST_TIMER_MS && value !== Infinity) {
    throw new InvalidParametersError(`${path} is ${value} ms, beyond the longest timer Node.js can set (${LONGEST_TIMER_MS} ms, about 24.8 days), which would fire at once: use Infinity for no limit`)
  }
}

/** This side's identity key: a `PrivateKey` from `@libp2p/crypto/keys`, not a PeerId or raw bytes. */
export function checkPrivateKey (value: unknown, path: string, options: { required: string | false }): void {
  if (value === undefined) {
    if (options.required !== false) {
      throw new InvalidParametersError(`${path} is missing: ${options.required} needs this side's identity key, e.g. await generateKeyPair('Ed25519') from @libp2p/crypto/keys`)
    }

    return
  }

  const key = value as Record<string, unknown> | null

  if (typeof key?.sign === 'function' && typeof key.publicKey === 'object' && typeof key.type === 'string') {
    return
  }

  if (typeof key?.toMultihash === 'function') {
    throw new InvalidParametersError(`${path} is a PeerId: pass the private key it belongs to (a PeerId proves nothing; the key behind it does)`)
  }

  if (value instanceof Uint8Array || typeof value === 'string') {
    throw new InvalidParametersError(`${path} is ${describeValue(value)}: decode it first, e.g. with privateKeyFromProtobuf() from @libp2p/crypto/keys`)
  }

  throw new InvalidParametersError(`${path} is ${describeValue(value)}, not a private key: expected a PrivateKey from @libp2p/crypto/keys`)
}

/** A `ComponentLogger` (e.g. `defaultLogger()` or `prefixLogger()` from `@libp2p/logger`). */
export function checkLogger (value: unknown, path: string): void {
  if (value !== undefined && typeof (value as Record<string, unknown> | null)?.forComponent !== 'function') {
    throw new InvalidParametersError(`${path} is ${describeValue(value)}, not a ComponentLogger: use e.g. defaultLogger() from @libp2p/logger`)
  }
}

/** `inboundUpgradeLimits`: an object of positive whole counts (or Infinity), each optional. */
export function checkInboundUpgradeLimits (value: unknown, path: string): void {
  const limits = checkOptionsObject(value, path, '{ maxPending: 32, maxPendingPerHost: 8, maxPerHostPerSecond: 100 }', { optional: true })

  for (const [name, count] of Object.entries(limits)) {
    if (!['maxPending', 'maxPendingPerHost', 'maxPerHostPerSecond'].includes(name)) {
      throw new InvalidParametersError(`${path}.${name} is not a limit: the limits are maxPending, maxPendingPerHost and maxPerHostPerSecond`)
    }

    if (count !== undefined && count !== Infinity && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
      throw new InvalidParametersError(`${path}.${name} must be a whole number of at least 1 (Infinity for no limit); got ${describeValue(count)}`)
    }
  }
}
