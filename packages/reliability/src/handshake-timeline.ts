// When each inbound upgrade reached each of its stages, in ms since the listener accepted its socket, and how
// it ended: what a run needs to say where a handshake under load spent its deadline (waiting for the first
// byte, in the crypto negotiation, in the SECIO handshake, in the muxer negotiation).
import { performance } from 'node:perf_hooks'
import { causeNames, count } from './outcome.js'
import type { Tally } from './outcome.js'
import type { Socket } from 'node:net'

/** The stages recorded, in the order an upgrade passes them. */
export const TIMELINE_STAGES = ['first-byte', 'upgrader:crypto-negotiated', 'upgrader:secured', 'upgrader:muxer-negotiated'] as const
export type TimelineStage = typeof TIMELINE_STAGES[number]

export interface UpgradeRecord {
  /** `performance.now()` when the listener accepted the socket */
  accepted: number
  /** ms since the socket was accepted, per stage reached */
  at: Partial<Record<TimelineStage, number>>
  /** ms since the socket was accepted when the upgrade settled */
  settled?: number
  /** the failure's cause chain by name, outermost first */
  error?: string[]
}

export interface StageFigures {
  /** upgrades that reached the stage */
  reached: number
  /** ms since accept, over those that reached it */
  p50: number
  p90: number
  max: number
}

export interface TimelineSummary {
  upgrades: number
  /**
   * ms from `origin` (the burst of dials) until the listener accepted each socket: what a connection waited in
   * the kernel's accept queue, where no deadline of the listener's runs yet but the dialer's does
   */
  accepted?: Omit<StageFigures, 'reached'>
  stages: Partial<Record<TimelineStage, StageFigures>>
  /** failed upgrades by the last stage they reached ('accepted' for none) and their innermost cause */
  failures: Tally
}

export interface UpgradeWatch {
  onProgress: (evt: { type: string }) => void
  settle: (error?: Error) => void
}

export interface HandshakeTimeline {
  /** Starts the record of one accepted socket. */
  begin: (socket: Socket) => UpgradeWatch
  records: () => UpgradeRecord[]
  /** `origin`: a `performance.now()` the accept times are counted from */
  summary: (origin?: number) => TimelineSummary
}

export function handshakeTimeline (): HandshakeTimeline {
  const records: UpgradeRecord[] = []

  return {
    begin (socket) {
      const accepted = performance.now()
      const record: UpgradeRecord = { accepted, at: {} }
      records.push(record)
      const mark = (stage: TimelineStage): void => { record.at[stage] ??= performance.now() - accepted }
      socket.once('data', () => { mark('first-byte') })
      return {
        onProgress (evt) {
          if ((TIMELINE_STAGES as readonly string[]).includes(evt.type)) mark(evt.type as TimelineStage)
        },
        settle (error) {
          record.settled ??= performance.now() - accepted
          if (error != null) record.error = causeNames(error)
        }
      }
    },
    records: () => records,
    summary: (origin) => summarise(records, origin)
  }
}

function summarise (records: UpgradeRecord[], origin?: number): TimelineSummary {
  const stages: TimelineSummary['stages'] = {}
  for (const stage of TIMELINE_STAGES) {
    const times = records.map(r => r.at[stage]).filter((t): t is number => t != null).sort((a, b) => a - b)
    if (times.length > 0) stages[stage] = { reached: times.length, p50: quantile(times, 0.5), p90: quantile(times, 0.9), max: times[times.length - 1] ?? 0 }
  }
  const failures: Tally = {}
  for (const record of records) {
    if (record.error == null) continue
    const last = [...TIMELINE_STAGES].reverse().find(stage => record.at[stage] != null) ?? 'accepted'
    count(failures, `after ${last}: ${record.error[record.error.length - 1] ?? 'Error'}`)
  }
  const accepts = origin == null ? [] : records.map(r => r.accepted - origin).sort((a, b) => a - b)
  const accepted = accepts.length === 0 ? undefined : { p50: quantile(accepts, 0.5), p90: quantile(accepts, 0.9), max: accepts[accepts.length - 1] ?? 0 }
  return { upgrades: records.length, accepted, stages, failures }
}

/** The value at quantile `q` of sorted `values` (nearest rank). */
export function quantile (sorted: number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
}
