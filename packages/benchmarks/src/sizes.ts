// How much each row moves per run. The full run is a measurement; `--quick` is the smoke test of
// npm test (every row runs, data is checked, nothing is timed against a bound).
export interface Sizes {
  rounds: number
  /** One-way transfer per throughput run. */
  throughputBytes: number
  /** Echo per Go row run (each byte goes both ways). */
  echoBytes: number
  /** The legacy rows: this many 4 MiB echoes over one connection. */
  legacyEchoes: number
  legacyEchoBytes: number
  /** Crypto-limit bytes sealed per run. */
  sealBytes: number
  handshakes: number
  handshakeConcurrency: number
  /** Idle connections held open for the memory rows. */
  connectionCounts: number[]
  concurrentStreams: number
  /** Bytes each of those streams echoes. */
  streamBytes: number
  /** Write size of the senders (bare SECIO: the frame size, up to its maxSendChunk). */
  chunk: number
  /** Bytes in flight, at most, in the echo rows. */
  window: number
  /** The small-message rows: this many messages echoed per run, each `messageBytes` long, at most `messageWindow` in flight. */
  messages: number
  messageBytes: number
  messageWindow: number
}

const MiB = 1024 * 1024

export const FULL: Sizes = {
  rounds: 3,
  throughputBytes: 1024 * MiB,
  echoBytes: 256 * MiB,
  legacyEchoes: 16,
  legacyEchoBytes: 4 * MiB,
  sealBytes: 1024 * MiB,
  handshakes: 200,
  handshakeConcurrency: 32,
  connectionCounts: [10, 100, 1000],
  concurrentStreams: 10_000,
  streamBytes: 64,
  chunk: 256 * 1024,
  window: 4 * MiB,
  messages: 100_000,
  messageBytes: 64,
  messageWindow: 1_000
}

export const QUICK: Sizes = {
  rounds: 1,
  throughputBytes: 1 * MiB,
  echoBytes: 1 * MiB,
  legacyEchoes: 2,
  legacyEchoBytes: 256 * 1024,
  sealBytes: 1 * MiB,
  handshakes: 4,
  handshakeConcurrency: 2,
  connectionCounts: [4],
  concurrentStreams: 50,
  streamBytes: 64,
  chunk: 64 * 1024,
  window: 256 * 1024,
  messages: 2_000,
  messageBytes: 64,
  messageWindow: 1_000
}
