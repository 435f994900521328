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
