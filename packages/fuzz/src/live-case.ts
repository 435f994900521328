/**
 * The shape every live fuzz case shares: Uplink runs something on its end of
 * a fresh connection (an upgrade, a handshake, a read to the end) while a
 * hostile peer sends damaged bytes and leaves. The case ends in an accepted
 * outcome or a refusal the target expects, and either way with Uplink's end
 * of the connection closed: its `close` event fired, not a timer's verdict.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { within } from './hang-guard.js'
import { describeOutcome } from './outcome.js'
import { split } from './read-splits.js'

/** What a case needs of a connection end (a `MultiaddrConnection`, a secured connection, a stream). */
export interface LiveEnd {
  readonly status: string
  addEventListener(type: 'close', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'close', listener: () => void): void
}

/** What the hostile peer does with its end. */
export interface HostileEnd {
  readonly status: string
  send(data: Uint8Array): unknown
  close(): Promise<void>
  abort(err: Error): void
}

export interface LiveCase<T> {
  /** Uplink's end: it must be closed when the case is over, whatever the outcome. */
  ours: LiveEnd
  /** What Uplink runs on it, started by the caller. */
  running: Promise<T>
  /**
   * The hostile peer's part, run alongside: it sends and leaves. Its own
   * failure is not judged (it fails when Uplink refuses it, as it should);
   * what Uplink did is.
   */
  hostile?: () => Promise<void>
  /** The outcome of a run that settled well; throws if that outcome is wrong for the input. */
  accepted: (value: T) => string | Promise<string>
  /** The outcome of a refusal; throws if it is the wrong one. Without it a refusal fails the case. */
  refused?: (reason: any) => string | Promise<string>
  /** Hang guards, in ms (not measurements): for `running` to settle (default 15 s), then for `ours` to close (10 s). */
  settleWithin?: number
  closeWithin?: number
}

/** Runs one live case and returns its outcome, for `FuzzTarget.check`. */
export async function liveCase<T> (c: LiveCase<T>): Promise<string> {
  const [result] = await Promise.allSettled([
    within(c.settleWithin ?? 15_000, c.running, 'Uplink\'s side of the case'),
    c.hostile?.()
  ])

  let outcome: string
  if (result.status === 'fulfilled') {
    outcome = await c.accepted(result.value)
  } else if (c.refused != null && result.reason?.name !== 'HangError') {
    outcome = await c.refused(result.reason)
  } else {
    throw result.reason
  }

  await closed(c.ours, c.closeWithin ?? 10_000)
  return outcome
}

/** Judges a refusal: a named error (by `describeOutcome`) whose name, or stage, is one of those expected. */
export function expectRefusal (reason: unknown, expected: { names?: readonly string[], stages?: readonly string[] }): string {
  const outcome = describeOutcome(reason)
  const { name, stage } = reason as { name: string, stage?: unknown }

  if (expected.names != null && !expected.names.includes(name)) {
    throw new UnexpectedOutcomeError(`refused with ${outcome}, not one of ${expected.names.join(', ')}`, { cause: reason })
  }

  if (expected.stages != null && (typeof stage !== 'string' || !expected.stages.includes(stage))) {
    throw new UnexpectedOutcomeError(`refused with ${outcome}, not at ${expected.stages.join(' or ')}`, { cause: reason })
  }

  return outcome
}

/** A case ended in an outcome its target does not allow. */
export class UnexpectedOutcomeError extends Error {
  static override name = 'UnexpectedOutcomeError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnexpectedOutcomeError'
  }
}

/** The hostile peer sends `bytes` cut by `splits`, until its end stops being open. */
export function sendPieces (to: HostileEnd, bytes: Uint8Array, splits: number[]): void {
  for (const piece of split(bytes, splits)) {
    if (to.status !== 'open') return
    to.send(piece)
  }
}

/**
 * A breaker, not a measurement: the hostile peer gives Uplink `ms` to answer
 * (or less, if `running` settles first) before it leaves, as a peer that
 * will never send the bytes Uplink still waits for.
 */
export async function linger (running: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([running.then(() => {}, () => {}), sleep(ms)])
}

/** The hostile peer leaves: a clean close, or an abort if even that fails. */
export async function leave (end: HostileEnd): Promise<void> {
  await end.close().catch(() => { end.abort(new Error('the hostile peer leaves')) })
}

const ENDED = new Set(['closed', 'aborted', 'reset'])

/** Resolves once `end` has fired its `close` event (a `HangError` after `ms`). */
export async function closed (end: LiveEnd, ms: number): Promise<string> {
  if (ENDED.has(end.status)) return end.status
  let onClose: (() => void) | undefined

  try {
    await within(ms, new Promise<void>(resolve => {
      onClose = resolve
      end.addEventListener('close', onClose, { once: true })
    }), `the close event of a connection end that is ${end.status}`)
  } finally {
    if (onClose != null) end.removeEventListener('close', onClose)
  }

  return end.status
}
