// Imported first by the package's index, so it runs before any dependency is evaluated: on an older
// Node.js the js-libp2p v3 modules load fine and then fail much later (`Promise.withResolvers is not a
// function` at `stop()`), far from the cause.

/** The oldest Node.js major version the libraries run on (js-libp2p v3 relies on Node.js 22 APIs). */
export const MINIMUM_NODE_VERSION = 22

/** The Node.js running the code is older than `MINIMUM_NODE_VERSION`. */
export class UnsupportedNodeVersionError extends Error {
  static override name = 'UnsupportedNodeVersionError'
  readonly required = MINIMUM_NODE_VERSION
  /** e.g. `20.20.2` */
  readonly actual: string

  constructor (actual: string, executable?: string) {
    super(`Uplink needs Node.js ${MINIMUM_NODE_VERSION} or newer, and this is Node.js ${actual}${executable == null ? '' : ` (${executable})`}: ` +
      'the js-libp2p v3 modules it builds on use APIs that older versions lack (e.g. Promise.withResolvers). ' +
      `Run it with Node.js ${MINIMUM_NODE_VERSION} or newer.`)
    this.name = 'UnsupportedNodeVersionError'
    this.actual = actual
  }
}

/** Throws `UnsupportedNodeVersionError` for a Node.js `version` (as in `process.versions.node`) below the minimum. */
export function checkNodeVersion (version: string, executable?: string): void {
  if (Number.parseInt(version, 10) < MINIMUM_NODE_VERSION) {
    throw new UnsupportedNodeVersionError(version, executable)
  }
}

// outside Node.js (a browser bundle) there is no Node.js version to check
const running = globalThis.process?.versions?.node

if (running != null) {
  checkNodeVersion(running, globalThis.process.execPath)
}
