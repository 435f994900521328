import { InvalidParametersError } from '@libp2p/interface'

/**
 * Option names users bring from elsewhere (js-libp2p 0.2x bundles,
 * `createLibp2p`, Uplink's own other entry point), each with what to write
 * instead. The hint completes the sentence "<path><name> …".
 */
export type MisnamedOptions = Record<string, string>

/** Throws for the first option in `options` that `misnamed` knows, naming it as the user wrote it. */
export function rejectMisnamed (options: object, prefix: string, misnamed: MisnamedOptions): void {
  for (const [name, hint] of Object.entries(misnamed)) {
    if ((options as Record<string, unknown>)[name] !== undefined) {
      throw new InvalidParametersError(`${prefix}${name} ${hint}`)
    }
  }
}

/**
 * For option groups whose every key Uplink knows: an unknown key would be
 * ignored silently, so it is named instead (`holds` says what the group takes).
 */
export function rejectUnknown (options: object, prefix: string, known: readonly string[], holds: string): void {
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !known.includes(name)) {
      throw new InvalidParametersError(`${prefix}${name} is not supported: ${holds}`)
    }
  }
}
