// Many concurrent dials from separate processes to one listener: every child process dials all its
// connections at once (on "go", given to all children together), each connection echoes its messages
// over several streams, and every byte is verified by position and by SHA-256 in the child.
// The exchange starts once every connection is up (`after-every-dial`), or on each connection as soon as
// it is up while the others still dial (`while-dialing`, under the default upgrade deadline): then the
// listener's handshakes compete with data, and the report says where their time went and whether the
// machine had CPU to spare.
import { cpus, loadavg } from 'node:os'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { DEFAULT_UPGRADE_TIMEOUT } from '@uplink/core'
import { startChild } from './child.js'
import { LOAD_TIMEOUT, startListener } from './endpoints.js'
import { handshakeTimeline } from './handshake-timeline.js'
import { schedStat } from './resources.js'
import type { MuxerName } from './endpoints.js'
import type { TimelineSummary } from './handshake-timeline.js'
import type { Tally } from './outcome.js'
import type { SchedStat } from './resources.js'

export const EXCHANGE_STARTS = ['after-every-dial', 'while-dialing'] as const
export type ExchangeStart = typeof EXCHANGE_STARTS[number]

export interface LoadShape {
  processes: number
  connectionsPerProcess: number
  streams: number
  /** messages per connection, spread over its streams */
  messagesPerConnection: number
  maxMessage: number
  /** @default 'after-every-dial' */
  exchange?: ExchangeStart
}

export const FULL_LOAD: LoadShape = { processes: 4, connectionsPerProcess: 50, streams: 4, messagesPerConnection: 10_000, maxMessage: 128 }
export const QUICK_LOAD: LoadShape = { processes: 2, connectionsPerProcess: 10, streams: 4, messagesPerConnection: 1_000, maxMessage: 128 }

export interface LoadReport {
  shape: LoadShape
  muxer: MuxerName
  connections: number
  /** connections whose dial succeeded */
  connected: number
  /** seconds until every child had dialed all its connections */
  dialSeconds: number
  outcomes: Tally
  messagesSent: number
  bytesSent: number
  bytesVerified: number
  /** bytesSent - bytesVerified: must be 0 */
  bytesLost: number
  /** the most inbound upgrades the listener had in progress at once */
  peakPendingUpgrades: number
  seconds: number
  exchange: ExchangeStart
  /** ms each side gave an upgrade */
  upgradeTimeout: number
  /** where the listener's handshakes spent their time, and how the failed ones ended */
  handshakes: TimelineSummary
  /** the listener's event-loop delay in ms (how long a ready handshake message could wait for its turn) */
  eventLoopDelay: { p50: number, p99: number, max: number }
  /** CPU seconds used while the dials were in progress, and the share of the machine's cores that is */
  cpu: { listener: number, dialers: number, cores: number, busy: number, loadBefore: number }
  /**
   * Seconds the main threads ran, and waited ready to run while other processes had the cores, during the
   * dials (Linux only): waiting much longer than running says the machine, not Uplink, was the bottleneck
   */
  sched?: { listener: SchedStat, dialers: SchedStat }
}

export async function runLoad (shape: LoadShape, muxer: MuxerName): Promise<LoadReport> {
  const connections = shape.processes * shape.connectionsPerProcess
  // the defaults (8 pending per host) would refuse most of a burst from one host, by design: raised here
  const limits = { maxPending: connections, maxPendingPerHost: connections, maxPerHostPerSecond: connections * 10 }
  const exchange = shape.exchange ?? 'after-every-dial'
  // with data competing, the deadline a user has; without, handshakes have all the time they need
  const upgradeTimeout = exchange === 'while-dialing' ? DEFAULT_UPGRADE_TIMEOUT : LOAD_TIMEOUT
  let peakPendingUpgrades = 0
  const timeline = handshakeTimeline()
  const listener = await startListener({
    muxer,
    inboundUpgradeLimits: limits,
    upgradeTimeout,
    inactivityTimeout: LOAD_TIMEOUT,
    timeline,
    onInbound: (_outcome, upgrader) => { peakPendingUpgrades = Math.max(peakPendingUpgrades, upgrader.pendingInboundUpgrades) }
  })
  const perStream = Math.ceil(shape.messagesPerConnection / shape.streams)
  const children = Array.from({ length: shape.processes }, () => startChild([
    'dial', muxer, listener.addr.toString(), String(shape.connectionsPerProcess), String(shape.streams), String(perStream), String(shape.maxMessage),
    exchange, String(upgradeTimeout)
  ]))
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })

  try {
    const ready = await Promise.all(children.map(async child => child.next('ready')))
    const loadBefore = loadavg()[0] ?? 0
    const started = performance.now()
    const listenerCpu = process.cpuUsage()
    const listenerSched = schedStat()
    loopDelay.enable()
    for (const child of children) child.go()
    const connected = await Promise.all(children.map(async child => child.next('connected')))
    loopDelay.disable()
    const dialSeconds = (performance.now() - started) / 1000
    const { user, system } = process.cpuUsage(listenerCpu)
    const listenerSeconds = (user + system) / 1e6
    const dialerSeconds = connected.reduce((total, report, i) => total + Number(report.cpu) - Number(ready[i]?.cpu), 0)
    const sched = schedDuring(listenerSched, schedStat(), ready, connected)
    if (exchange === 'after-every-dial') for (const child of children) child.go()
    const done = await Promise.all(children.map(async child => child.next('done')))
    const seconds = (performance.now() - started) / 1000
    const outcomes: Tally = {}
    for (const report of done) {
      for (const [outcome, n] of Object.entries(report.outcomes as Tally)) outcomes[outcome] = (outcomes[outcome] ?? 0) + n
    }
    const sum = (field: string): number => done.reduce((total, report) => total + Number(report[field]), 0)
    return {
      shape,
      muxer,
      connections,
      connected: connected.reduce((total, report) => total + Number(report.connections), 0),
      dialSeconds,
      outcomes,
      messagesSent: sum('messagesSent'),
      bytesSent: sum('bytesSent'),
      bytesVerified: sum('bytesVerified'),
      bytesLost: sum('bytesSent') - sum('bytesVerified'),
      peakPendingUpgrades,
      seconds,
      exchange,
      upgradeTimeout,
      handshakes: timeline.summary(started),
      eventLoopDelay: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      cpu: {
        listener: listenerSeconds,
        dialers: dialerSeconds,
        cores: cpus().length,
        busy: (listenerSeconds + dialerSeconds) / (dialSeconds * cpus().length),
        loadBefore
      },
      sched
    }
  } finally {
    for (const child of children) child.process.kill('SIGKILL')
    await listener.close()
  }
}

function schedDuring (before: SchedStat | undefined, after: SchedStat | undefined, ready: Array<Record<string, any>>, connected: Array<Record<string, any>>): LoadReport['sched'] {
  if (before == null || after == null) return undefined
  const seconds = (ms: number): number => ms / 1000
  const dialers = connected.reduce((total: SchedStat, report, i) => ({
    running: total.running + Number(report.sched?.running) - Number(ready[i]?.sched?.running),
    waiting: total.waiting + Number(report.sched?.waiting) - Number(ready[i]?.sched?.waiting)
  }), { running: 0, waiting: 0 })
  return {
    listener: { running: seconds(after.running - before.running), waiting: seconds(after.waiting - before.waiting) },
    dialers: { running: seconds(dialers.running), waiting: seconds(dialers.waiting) }
  }
}
