/** One link of an error's cause chain, as printed and as `--json` carries it. */
export interface ErrorLink {
  name: string
  message: string
  /** Set on wrong-peer errors. */
  expected?: string
  actual?: string
}

/**
 * The error and every `cause` below it, outermost first. An `AggregateError`
 * (a dial of several addresses) contributes its errors in order.
 */
export function causeChain (err: unknown, limit = 10): ErrorLink[] {
  const chain: ErrorLink[] = []
  const seen = new Set<unknown>()
  let current: unknown = err

  while (current != null && chain.length < limit && !seen.has(current)) {
    seen.add(current)
    chain.push(link(current))

    if (current instanceof AggregateError && current.errors.length > 0) {
      chain.push(...current.errors.slice(0, limit - chain.length).map(link))
      break
    }

    current = current instanceof Error ? current.cause : undefined
  }

  return chain
}

function link (err: unknown): ErrorLink {
  if (!(err instanceof Error)) {
    return { name: typeof err, message: String(err) }
  }

  const { expected, actual } = err as { expected?: { toString: () => string }, actual?: { toString: () => string } }
  return {
    name: err.name,
    message: err.message,
    ...(expected == null ? {} : { expected: expected.toString() }),
    ...(actual == null ? {} : { actual: actual.toString() })
  }
}
