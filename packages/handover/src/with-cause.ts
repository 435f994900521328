/**
 * Attach `cause` to an error built by a constructor that only takes a message
 * (the `@libp2p/interface` error classes), so callers can still see what went
 * wrong underneath.
 */
export function withCause <E extends Error> (err: E, cause: unknown): E {
  if (cause !== undefined) {
    Object.defineProperty(err, 'cause', { value: cause, enumerable: false, writable: true, configurable: true })
  }

  return err
}
