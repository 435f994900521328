import { InvalidMultiaddrError } from '@libp2p/interface'
import { getNetConfig, ipPortToMultiaddr } from '@libp2p/utils'
import { TCP } from '@multiformats/multiaddr-matcher'
import type { Multiaddr } from '@multiformats/multiaddr'

// How multiaddrs map onto Node.js `net` addressing, in both directions.

/**
 * True for `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>`, optionally followed by
 * `/p2p/<peer>`.
 *
 * `TCP.exactMatch` already rejects anything layered on top (`/ws`, `/tls`,
 * `/p2p-circuit`, ...), which other transports own. `/dnsaddr` is rejected too:
 * it names a TXT record of further multiaddrs, not a host, so it must be
 * resolved by the dialer before it reaches a transport.
 */
export function isTCPAddress (ma: Multiaddr): boolean {
  return TCP.exactMatch(ma) && ma.getComponents()[0]?.name !== 'dnsaddr'
}

/**
 * The host/port (and address family) to hand to `net.connect` or
 * `server.listen` for a TCP multiaddr.
 */
export interface NetAddress {
  host: string
  port: number
  family?: 4 | 6
}

export function toNetAddress (ma: Multiaddr): NetAddress {
  if (!isTCPAddress(ma)) {
    throw new InvalidMultiaddrError(`${ma.toString()} is not a TCP address`)
  }

  const config = getNetConfig(ma)

  if (config.port == null) {
    throw new InvalidMultiaddrError(`${ma.toString()} has no TCP port`)
  }

  switch (config.type) {
    case 'ip4':
    case 'dns4':
      return { host: config.host, port: config.port, family: 4 }
    case 'ip6':
      // a link-local address is meaningless without the interface it is on
      return { host: config.zone == null ? config.host : `${config.host}%${config.zone}`, port: config.port, family: 6 }
    case 'dns6':
      return { host: config.host, port: config.port, family: 6 }
    default:
      // plain /dns may resolve to either family, let the OS choose
      return { host: config.host, port: config.port }
  }
}

/**
 * The multiaddr of the remote end of a connected socket.
 *
 * A dual-stack server reports IPv4 peers as IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`); those are turned back into `/ip4` so the address
 * compares equal to the one the peer dialed from.
 */
export function remoteMultiaddr (address: string, port: number): Multiaddr {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)

  return ipPortToMultiaddr(mapped?.[1] ?? address, port)
}
