import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { mplex } from '@libp2p/mplex'
import { tls } from '@libp2p/tls'
import { webSockets } from '@libp2p/websockets'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { UsageError } from './errors.js'
import type { EncrypterModule, MuxerModule, TransportModule } from '@uplink/core'

export const CRYPTO_NAMES = ['secio', 'noise', 'tls', 'plaintext'] as const
export const MUXER_NAMES = ['yamux', 'mplex'] as const

export type CryptoName = typeof CRYPTO_NAMES[number]
export type MuxerName = typeof MUXER_NAMES[number]

/** Which form of `/plaintext/2.0.0` to speak: js-libp2p 0.28/0.29 only understand their own off-spec one. */
export type PlaintextForm = 'spec' | 'legacy-js' | 'auto'

export function cryptoModules (names: CryptoName[], plaintextForm: PlaintextForm): EncrypterModule[] {
  return names.map(name => {
    switch (name) {
      case 'secio': return secio()
      case 'noise': return noise()
      case 'tls': return tls()
      case 'plaintext': return plaintext({ encoding: plaintextForm })
    }
  })
}

/**
 * New streams a second a remote may open before mplex gives up on the
 * connection. mplex's own default, 5, is for a muxer without backpressure
 * guarding itself alone; a listener here already bounds open streams per
 * protocol (`DEFAULT_MAX_INBOUND_STREAMS`) and what each may buffer, and a
 * peer that opens ten streams in its first second is ordinary. The same
 * figure as the inbound connections a host may open a second.
 */
export const MPLEX_NEW_STREAMS_PER_SECOND = 100

export function muxerModules (names: MuxerName[]): MuxerModule[] {
  return names.map(name => name === 'yamux' ? yamux() : mplex({ disconnectThreshold: MPLEX_NEW_STREAMS_PER_SECOND }))
}

/** TCP for `/tcp/N` addresses, WebSockets for `/tcp/N/ws`: each address goes to the transport that can dial it. */
export function transportModules (): TransportModule[] {
  return [tcp(), webSockets()]
}

/** Parses a comma-separated list of names, in the order given (the order they are offered in). */
export function parseList<T extends string> (flag: string, value: string, allowed: readonly T[]): T[] {
  const names = value.split(',').map(name => name.trim()).filter(name => name !== '')

  if (names.length === 0) {
    throw new UsageError(`--${flag} needs at least one of ${allowed.join(', ')}`)
  }

  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) {
      throw new UsageError(`--${flag}: unknown "${name}"; choose from ${allowed.join(', ')}`)
    }
  }

  return [...new Set(names)] as T[]
}
