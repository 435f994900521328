/**
 * A case's outcome is the name of the error it ended with, or a word for a
 * case that ended without one. Errors are API here (callers match on
 * `err.name`), so a bare `Error`, a `TypeError` from a stray `undefined`, a
 * `RangeError` from an attacker's length and the like are defects.
 */
const NAMELESS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError'])

/** Thrown by a case whose error has no name of its own. */
export class UnnamedErrorError extends Error {
  static override name = 'UnnamedErrorError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnnamedErrorError'
  }
}

/** The error's own name; throws `UnnamedErrorError` if it has none worth the name. */
export function namedError (err: unknown): string {
  const name = (err as { name?: unknown } | undefined)?.name

  if (typeof name !== 'string' || NAMELESS.has(name)) {
    throw new UnnamedErrorError(`a case ended with an unnamed error: ${String((err as Error | undefined)?.stack ?? err)}`, { cause: err })
  }

  return name
}

/**
 * `Outer(stage) ← Cause`: the named error, the stage it names if any, and its
 * innermost named cause. Only the outer error must be named: a cause may be a
 * library's own `RangeError`, kept for debugging and left out here.
 */
export function describeOutcome (err: unknown): string {
  const outer = namedError(err)
  const stage = (err as { stage?: unknown }).stage
  let innermost: string | undefined

  for (let cause = (err as Error).cause, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    if (!NAMELESS.has(cause.name)) innermost = cause.name
  }

  return `${outer}${typeof stage === 'string' ? `(${stage})` : ''}${innermost == null || innermost === outer ? '' : ` ← ${innermost}`}`
}
