/** The protocol id multistream-select negotiates. */
export const PROTOCOL = '/secio/1.0.0'

/** Bytes of each side's `rand` in the Propose, echoed back encrypted as key confirmation. */
export const NONCE_LENGTH = 16

/**
 * Largest frame accepted by default (ciphertext + MAC), as go-libp2p-secio
 * (go-msgio) and libp2p-secio 0.13.1 enforce for data frames.
 */
export const DEFAULT_MAX_FRAME_LENGTH = 8 * 1024 * 1024

/**
 * Largest plaintext put in one outgoing frame. Large writes are split: Go and
 * the legacy JS SECIO send one frame per write and a peer kills the connection
 * on a frame over 8 MiB (every peer accepts 8 MiB: Go, Rust and the legacy JS
 * cap there, Python does not cap).
 *
 * 1 MiB because each frame costs a fresh HMAC, a length prefix and a MAC
 * write, a message event and a decoder pass at both ends: from 64 KiB to
 * 1 MiB the CPU per byte falls by a fifth to a third at each end (see
 * `bench/channel.mjs`), and past 256 KiB the gain flattens. What a bigger frame
 * costs is latency under bulk load only: a frame is released after its MAC
 * checks, so its first byte waits for its last (about 1 ms at 1 GB/s); a
 * frame is never bigger than what is queued, so small writes still go out
 * within their turn of the event loop, sharing a frame (see `COALESCE_UP_TO`).
 */
export const DEFAULT_MAX_SEND_CHUNK = 1024 * 1024

/**
 * Small writes made in one turn of the event loop share a frame (see
 * `framing/outgoing-frames.ts`) until it holds this many bytes; then it is
 * sent at once, within the turn. So a writer in a loop meets the raw
 * connection's backpressure after at most this much, as it would without
 * coalescing, and a write this big or bigger is a frame of its own, as
 * before. Past 64 KiB a frame's fixed costs are already under 0.1 % of it.
 */
export const COALESCE_UP_TO = 64 * 1024

/**
 * Largest handshake message (Propose or Exchange) accepted. The biggest honest
 * one, an RSA-8192 Propose or Exchange, is about 1.1 KiB; JS accepted 4 MiB and
 * Go 8 MiB, which only helps an attacker.
 */
export const MAX_HANDSHAKE_MESSAGE_LENGTH = 64 * 1024

/**
 * Milliseconds the side that loses the order waits for the peer's nonce frame
 * to start when the ECDH secret starts with a zero byte (see
 * `handshake/confirm.ts`).
 */
export const DEFAULT_LEADING_ZERO_WAIT = 1_000

/** RSA identity sizes accepted, in bits: go-libp2p's floor and ceiling. */
export const MIN_RSA_BITS = 2048
export const MAX_RSA_BITS = 8192

/** Milliseconds a whole handshake may take (go-libp2p-secio's `HandshakeTimeout`), on top of the caller's signal. */
export const DEFAULT_HANDSHAKE_TIMEOUT = 30_000

/**
 * Frames remembered per connection to refuse a replay: a frame whose MAC
 * equals one of the last this many frames (of 8 bytes of ciphertext or more)
 * is a replay. 1.75 KiB per connection.
 */
export const REPLAY_WINDOW = 128

/**
 * Bytes an async-iterating reader of a secured connection may fall behind
 * before the raw connection is paused (it resumes at half of this). On top of
 * it, at most the frame in progress and one raw read arrive after the pause.
 */
export const READER_HIGH_WATER = 1024 * 1024
