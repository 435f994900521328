/**
 * @packageDocumentation
 *
 * The `uplink` command: `listen`, `dial`, `ping` and `key`, printing every
 * stage of the connection upgrade as it happens (protocols offered and chosen,
 * the SECIO proposal and suite, the remote PeerId and whether it matched, the
 * muxer) with its time, and on failure the stage, the error and its causes.
 * `main()` runs one command line and resolves with its exit code.
 *
 * ```sh
 * npx uplink listen --crypto secio
 * npx uplink dial /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW… --echo 1024
 * ```
 *
 * @module @uplink/cli
 */

export { main } from './main.js'
export { EXIT } from './exit-codes.js'
export { USAGE } from './usage.js'
export type { Stage } from './exit-codes.js'
export type { Io } from './output.js'
export type { ErrorLink } from './describe-error.js'
