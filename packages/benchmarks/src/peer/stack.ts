// What one benchmark side runs: which system (Uplink's node, js-libp2p v3, Uplink's SECIO alone on
// a socket, or a raw socket), which crypto channel (and SECIO suite), which muxer.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { mplex } from '@libp2p/mplex'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import type { EncrypterModule, MuxerModule } from '@uplink/core'
import type { CipherName, HashName, SecioInit } from '@uplink/secio'

export type System = 'uplink' | 'libp2p' | 'uplink-bare' | 'minimal-secio' | 'tcp'
export type CryptoName = 'secio' | 'noise' | 'plaintext'
export type MuxerName = 'yamux' | 'mplex'

export interface Stack {
  system: System
  /** Default secio (ignored by `tcp`; `uplink-bare` and `minimal-secio` are always SECIO, the latter AES-256/SHA256). */
  crypto?: CryptoName
  /** SECIO: force one cipher and one hash (both sides offer only these). */
  cipher?: CipherName
  hash?: HashName
  /** Default yamux (node systems). */
  muxer?: MuxerName
}

/** Streams one connection may carry: the scale rows open 10,000 at once. */
export const MAX_STREAMS = 20_000

export function secioInit (stack: Stack): SecioInit {
  return {
    ...(stack.cipher != null ? { ciphers: [stack.cipher] } : {}),
    ...(stack.hash != null ? { hashes: [stack.hash] } : {})
  }
}

export function encrypter (stack: Stack): EncrypterModule {
  switch (stack.crypto ?? 'secio') {
    case 'noise': return noise()
    case 'plaintext': return plaintext()
    default: return secio(secioInit(stack))
  }
}

/**
 * mplex (12.x) aborts a connection whose remote opens more than `disconnectThreshold` new streams in a
 * second (default 5); the legacy rows open one stream per 4 MiB echo, many a second.
 */
const MPLEX_NEW_STREAMS_PER_SECOND = 1_000

export function muxer (stack: Stack): MuxerModule {
  return stack.muxer === 'mplex'
    ? mplex({ disconnectThreshold: MPLEX_NEW_STREAMS_PER_SECOND }) as MuxerModule
    : yamux({ maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS }) as MuxerModule
}

export function describe (stack: Stack): string {
  if (stack.system === 'tcp') return 'raw TCP'
  if (stack.system === 'minimal-secio') return 'minimal SECIO framing AES-256/SHA256: node:crypto on a raw socket, no stream layers'
  const suite = stack.cipher != null || stack.hash != null ? ` ${stack.cipher ?? ''}/${stack.hash ?? ''}` : ''
  const crypto = stack.system === 'uplink-bare' ? 'secio' : (stack.crypto ?? 'secio')
  const muxed = stack.system === 'uplink-bare' ? ', no muxer' : ` + ${stack.muxer ?? 'yamux'}`
  return `${stack.system} ${crypto}${suite}${muxed}`
}
