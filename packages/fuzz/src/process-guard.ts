/**
 * Catches what a case lets escape: a rejection nobody handled or an exception
 * thrown from a callback. Either fails the case that was running (or the
 * next one to be checked) instead of crashing mocha or passing unseen.
 */
export interface ProcessGuard {
  /** Throws an `EscapedError` with the first escape since the last check, if any. */
  check(): void
  stop(): void
}

/** A rejection or exception escaped from the code under test. */
export class EscapedError extends Error {
  static override name = 'EscapedError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'EscapedError'
  }
}

export function guardProcess (): ProcessGuard {
  const escaped: Array<{ kind: string, error: unknown }> = []
  const onRejection = (error: unknown): void => { escaped.push({ kind: 'unhandled rejection', error }) }
  const onException = (error: unknown): void => { escaped.push({ kind: 'uncaught exception', error }) }

  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)

  return {
    check () {
      const first = escaped[0]
      if (first == null) return
      escaped.length = 0
      const error = first.error as Error | undefined
      throw new EscapedError(`${first.kind}: ${error?.name ?? typeof error}: ${error?.message ?? String(error)}`, { cause: first.error })
    },
    stop () {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    }
  }
}
