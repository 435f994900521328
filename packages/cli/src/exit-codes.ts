/**
 * What `uplink` exits with, so a script can tell where a connection failed
 * without parsing its output. One code per stage of the connection, in
 * pipeline order.
 */
export const EXIT = {
  /** Everything asked for worked. */
  OK: 0,
  /** A failure outside the stages below (a bug, an unreadable key file). */
  FAILED: 1,
  /** The command line was wrong. */
  USAGE: 2,
  /** No raw connection: refused, unreachable, no transport for the address, or a listen address in use. */
  CONNECT: 3,
  /** No crypto channel in common (multistream-select). */
  NEGOTIATE_CRYPTO: 4,
  /** The crypto channel's handshake failed. */
  HANDSHAKE: 5,
  /** The remote is not the dialed `/p2p/` id. */
  VERIFY_PEER: 6,
  /** No stream muxer in common. */
  NEGOTIATE_MUXER: 7,
  /** Connected, but the stream failed: protocol not supported, or a reply that is wrong or missing. */
  STREAM: 8,
  /** Stopped by SIGINT. */
  INTERRUPTED: 130
} as const

export type Stage = 'connect' | 'negotiate-crypto' | 'handshake' | 'verify-peer' | 'negotiate-muxer' | 'stream'

export function exitCodeOf (stage: Stage): number {
  switch (stage) {
    case 'connect': return EXIT.CONNECT
    case 'negotiate-crypto': return EXIT.NEGOTIATE_CRYPTO
    case 'handshake': return EXIT.HANDSHAKE
    case 'verify-peer': return EXIT.VERIFY_PEER
    case 'negotiate-muxer': return EXIT.NEGOTIATE_MUXER
    case 'stream': return EXIT.STREAM
  }
}
