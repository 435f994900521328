/**
 * The hang guard of Uplink's tests, fuzz cases and reliability runs: a wait
 * that has not settled in a generous time fails by name instead of stalling
 * the suite. A guard, never a measurement. Its own module (and subpath,
 * `@uplink/fuzz/hang-guard`) so that a process that only needs the guard
 * loads nothing else of the harness (no fast-check).
 */

/** A wait ran past its hang guard. */
export class HangError extends Error {
  static override name = 'HangError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'HangError'
  }
}

/** Settles as `promise` does, or rejects with a `HangError` if it has not settled within `ms`. */
export async function within<T> (ms: number, promise: Promise<T>, what = 'operation'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new HangError(`${what} did not settle within ${ms} ms`)) }, ms)
  })

  try {
    return await Promise.race([promise, guard])
  } finally {
    clearTimeout(timer)
  }
}
