import { isMultiaddr } from '@multiformats/multiaddr'

/**
 * How a wrong value is named in a configuration error: by what it is to the
 * user ("a crypto channel (/secio/1.0.0)", "the string \"secio\"", "a class
 * (TCP)"), so the message says what was given, not only what was expected.
 */
export function describeValue (value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`
  if (typeof value === 'function') return isClass(value) ? `a class (${value.name})` : `a function${value.name === '' ? '' : ` (${value.name})`}`
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`
  if (isMultiaddr(value)) return `the multiaddr ${value.toString()}`

  const object = value as Record<string, unknown>
  const protocol = typeof object.protocol === 'string' ? ` (${object.protocol})` : ''

  if (typeof object.secureOutbound === 'function') return `a crypto channel${protocol}`
  if (typeof object.createStreamMuxer === 'function') return `a stream muxer${protocol}`
  if (typeof object.createListener === 'function') return `a transport${tagOf(object)}`
  if (typeof object.toMultihash === 'function') return `a PeerId (${String(value)})`

  const keys = Object.keys(object)
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`
}

export function isClass (value: unknown): value is abstract new (...args: any[]) => unknown {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))
}

function tagOf (object: Record<string, unknown>): string {
  const tag = (object as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]
  return typeof tag === 'string' ? ` (${tag})` : ''
}

/** The message of whatever was thrown, for the hint in parentheses after a wrapping error's own message. */
export function reasonOf (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
