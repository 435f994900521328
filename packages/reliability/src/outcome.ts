// How a transfer ended, as the application saw it. Only two endings are acceptable: every byte back
// intact, or a named error at the reader or writer. The others are what this package exists to catch.

export type Outcome =
  | { kind: 'intact' }
  /** a named error reached the application; `causes` is its cause chain by name, outermost first */
  | { kind: 'named-error', causes: string[], stage?: string }
  /** an error whose name says nothing (`Error`): still a failure to name it */
  | { kind: 'unnamed-error', message: string }
  /** a clean end with fewer bytes than were sent */
  | { kind: 'silent-short', received: number, expected: number }
  /** bytes that differ from what was sent reached the application */
  | { kind: 'corrupt', at: number }
  /** nothing settled before the hang guard fired */
  | { kind: 'hang' }

export type OutcomeKind = Outcome['kind']

export const ACCEPTABLE: ReadonlySet<OutcomeKind> = new Set(['intact', 'named-error'])

/** Every error in a `cause` chain by name, outermost first (AggregateErrors contribute their first error). */
export function causeNames (err: unknown): string[] {
  const names: string[] = []
  let current: unknown = err
  while (current instanceof Error && names.length < 12) {
    names.push(current.name)
    current = current.cause ?? (current instanceof AggregateError ? current.errors[0] : undefined)
  }
  return names
}

export function errorOutcome (err: unknown): Outcome {
  if (!(err instanceof Error)) return { kind: 'unnamed-error', message: String(err) }
  if (err.name === 'HangError') return { kind: 'hang' }
  if (err.name === 'Error' || err.name === '') return { kind: 'unnamed-error', message: err.message }
  return { kind: 'named-error', causes: causeNames(err), stage: (err as { stage?: string }).stage }
}

/** The worse of two outcomes, by how bad a surprise it would be to an application. */
export function worse (a: Outcome, b: Outcome): Outcome {
  const rank: Record<OutcomeKind, number> = { intact: 0, 'named-error': 1, 'unnamed-error': 2, hang: 3, 'silent-short': 4, corrupt: 5 }
  return rank[b.kind] > rank[a.kind] ? b : a
}

/** A short label for tallies: the kind, and for named errors the outermost and innermost names. */
export function label (outcome: Outcome): string {
  if (outcome.kind !== 'named-error') return outcome.kind
  const first = outcome.causes[0] ?? '?'
  const last = outcome.causes[outcome.causes.length - 1] ?? '?'
  return first === last ? first : `${first} ← ${last}`
}

export type Tally = Record<string, number>

export function count (tally: Tally, key: string): void {
  tally[key] = (tally[key] ?? 0) + 1
}
