import { causeChain } from './describe-error.js'
import type { ErrorLink } from './describe-error.js'

/** Where `uplink` writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const processIo: Io = {
  stdout: (text) => { process.stdout.write(text) },
  stderr: (text) => { process.stderr.write(text) }
}

/**
 * Each thing `uplink` reports is one event: a line for people, or with
 * `--json` one JSON object per line (`{"event": …, …}`) for scripts.
 */
export class Output {
  constructor (private readonly io: Io, readonly json: boolean) {}

  emit (event: string, fields: Record<string, unknown>, text: string): void {
    this.io.stdout(this.json ? JSON.stringify({ event, ...fields }) + '\n' : text + '\n')
  }

  /** A failure: the stage, the error's name and message, and every cause below it. */
  failure (fields: { stage?: string, ms?: number } & Record<string, unknown>, err: unknown, prefix = ''): ErrorLink[] {
    const [top, ...causes] = causeChain(err)
    const where = fields.stage == null ? '' : ` at ${fields.stage}`
    const lines = [`${prefix}FAILED${where}: ${top?.name ?? 'Error'}: ${top?.message ?? String(err)}`]

    for (const cause of causes) {
      lines.push(`${' '.repeat(prefix === '' ? 2 : 16)}cause: ${cause.name}: ${cause.message}`)
    }

    this.emit('error', { ...fields, error: top, causes }, lines.join('\n'))
    return causes
  }
}

/** Milliseconds with one decimal, as ping prints them. */
export function ms (value: number): string {
  return value.toFixed(1)
}
