/**
 * Defaults shared by the upgrader, connections and the node bundle. The
 * `@default` tags of the option docs point here, and a test pins the values.
 */

/** Milliseconds a whole connection upgrade (crypto negotiation, handshake, muxer negotiation) may take. */
export const DEFAULT_UPGRADE_TIMEOUT = 10_000

/** Milliseconds multistream-select may take to agree on a protocol for one stream. */
export const DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT = 5_000

/** Milliseconds a graceful `Connection.close()` may take before the connection is aborted instead. */
export const DEFAULT_CONNECTION_CLOSE_TIMEOUT = 1_000

/** Concurrent inbound streams per protocol and connection, unless the handler's options say otherwise. */
export const DEFAULT_MAX_INBOUND_STREAMS = 32

/** Concurrent outbound streams per protocol and connection, unless the handler's or `newStream`'s options say otherwise. */
export const DEFAULT_MAX_OUTBOUND_STREAMS = 64

/** Milliseconds a node's dial may take in all: reaching the address plus the upgrade. */
export const DEFAULT_DIAL_TIMEOUT = 30_000

/** Inbound upgrades one upgrader (and so one node) runs at once; more are refused before any byte is read. */
export const DEFAULT_MAX_PENDING_INBOUND_UPGRADES = 32

/** Inbound upgrades from one host (IP address) at once, so one host cannot take every pending slot. */
export const DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST = 8

/** New inbound connections accepted from one host per second. */
export const DEFAULT_MAX_INBOUND_UPGRADES_PER_HOST_PER_SECOND = 100

/**
 * Bytes a stream holds for an application that is paused or not reading yet,
 * before it is aborted with a `StreamBufferError`. Twice yamux's largest
 * receive window (16 MiB): a paused stream stops the remote through the
 * muxer's flow control well before this; only a muxer without flow control
 * (mplex) can reach it.
 */
export const DEFAULT_MAX_STREAM_READ_BUFFER = 32 * 1024 * 1024
