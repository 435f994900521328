import { InvalidMultiaddrError, InvalidParametersError } from '@libp2p/interface'
import { isMultiaddr, multiaddr } from '@multiformats/multiaddr'
import { describeValue, reasonOf } from '../config/describe-value.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** An address as users write it: a `Multiaddr`, or its string form such as `/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…`. */
export type AddrInput = Multiaddr | string

const EXAMPLE = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…'

/** One address; `path` names the argument or option in the error, e.g. `dial[1]`. */
export function toMultiaddr (input: unknown, path: string): Multiaddr {
  if (isMultiaddr(input)) {
    return input
  }

  if (typeof input !== 'string') {
    throw new InvalidParametersError(`${path} is ${describeValue(input)}: expected a multiaddr or a string such as ${EXAMPLE}`)
  }

  try {
    return multiaddr(input)
  } catch (cause) {
    throw Object.assign(new InvalidMultiaddrError(`${path}: ${JSON.stringify(input)} is not a multiaddr (${reasonOf(cause)}); expected e.g. ${EXAMPLE}`), { cause })
  }
}

/** One address or an array of them, as `dial` and `addresses.listen` take them. */
export function toMultiaddrs (input: unknown, path = 'dial', options = { allowNone: false }): Multiaddr[] {
  if (!Array.isArray(input)) {
    return [toMultiaddr(input, path)]
  }

  if (input.length === 0 && !options.allowNone) {
    throw new InvalidParametersError(`${path} needs at least one address`)
  }

  return input.map((item, index) => toMultiaddr(item, `${path}[${index}]`))
}
