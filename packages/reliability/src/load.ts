// Many concurrent dials from separate processes to one listener: every child process dials all its
// connections at once (on "go", given to all children together), each connection echoes its messages
// over several streams, and every byte is verified by position and by SHA-256 in the child.
import { performance } from 'node:perf_hooks'
import { startChild } from './child.js'
import { LOAD_TIMEOUT, startListener } from './endpoints.js'
import type { MuxerName } from './endpoints.js'
import type { Tally } from './outcome.js'

export interface LoadShape {
  processes: number
  connectionsPerProcess: number
  streams: number
  /** messages per connection, spread over its streams */
  messagesPerConnection: number
  maxMessage: number
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
}

export async function runLoad (shape: LoadShape, muxer: MuxerName): Promise<LoadReport> {
  const connections = shape.processes * shape.connectionsPerProcess
  // the defaults (8 pending per host) would refuse most of a burst from one host, by design: raised here
  const limits = { maxPending: connections, maxPendingPerHost: connections, maxPerHostPerSecond: connections * 10 }
  let peakPendingUpgrades = 0
  const listener = await startListener({
    muxer,
    inboundUpgradeLimits: limits,
    upgradeTimeout: LOAD_TIMEOUT,
    inactivityTimeout: LOAD_TIMEOUT,
    onInbound: (_outcome, upgrader) => { peakPendingUpgrades = Math.max(peakPendingUpgrades, upgrader.pendingInboundUpgrades) }
  })
  const perStream = Math.ceil(shape.messagesPerConnection / shape.streams)
  const children = Array.from({ length: shape.processes }, () => startChild([
    'dial', muxer, listener.addr.toString(), String(shape.connectionsPerProcess), String(shape.streams), String(perStream), String(shape.maxMessage)
  ]))

  try {
    await Promise.all(children.map(async child => child.next('ready')))
    const started = performance.now()
    for (const child of children) child.go()
    const connected = await Promise.all(children.map(async child => child.next('connected')))
    const dialSeconds = (performance.now() - started) / 1000
    for (const child of children) child.go()
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
      seconds
    }
  } finally {
    for (const child of children) child.process.kill('SIGKILL')
    await listener.close()
  }
}
