// An Uplink peer in a process of its own, so a test can SIGKILL it or run many of them at once.
// It speaks one JSON line per event on stdout; a dialer waits for "go" on stdin before it dials, and (unless
// its exchange is `while-dialing`) again before its connections exchange their messages.
//   node child-peer.js listen <muxer>                        → {"event":"listening","addr":…}
//   node child-peer.js dial <muxer> <addr> <connections> <streams> <messages> <maxMessage> [<exchange> [<upgradeTimeout>]]
//                                                            → {"event":"ready"} {"event":"connected",…} {"event":"done",…}
// <exchange>: `after-every-dial` (the default) or `while-dialing`, each connection exchanging as soon as it is up.
import { createInterface } from 'node:readline'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { LOAD_TIMEOUT, dial, startListener, upgraderFor } from './endpoints.js'
import { label } from './outcome.js'
import { schedStat } from './resources.js'
import { transfer } from './transfer.js'
import type { MuxerName } from './endpoints.js'
import type { UplinkConnection } from '@uplink/core'
import type { Tally } from './outcome.js'

/** CPU seconds this process has used, user and system. */
function cpuSeconds (): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

function say (message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

async function waitForGo (): Promise<void> {
  for (let line = await stdinLines.next(); line.done !== true; line = await stdinLines.next()) {
    if (line.value.trim() === 'go') return
  }
}

const [role, muxer, ...rest] = process.argv.slice(2) as [string, MuxerName, ...string[]]

if (role === 'listen') {
  const listener = await startListener({ muxer, inboundUpgradeLimits: { maxPending: 1_000, maxPendingPerHost: 1_000, maxPerHostPerSecond: 10_000 } })
  say({ event: 'listening', addr: listener.addr.toString() })
} else if (role === 'dial') {
  const [addr, connections, streams, messages, maxMessage, exchange = 'after-every-dial', upgradeTimeout = String(LOAD_TIMEOUT)] = rest
  const upgrader = upgraderFor(await generateKeyPair('Ed25519'), { muxer, upgradeTimeout: Number(upgradeTimeout) })
  const shape = { streams: Number(streams), messages: Number(messages), maxMessage: Number(maxMessage) }
  say({ event: 'ready', cpu: cpuSeconds(), sched: schedStat() })
  await waitForGo()
  const outcomes: Tally = {}
  const tally = (key: string): void => { outcomes[key] = (outcomes[key] ?? 0) + 1 }
  let bytesSent = 0
  let bytesVerified = 0
  let messagesSent = 0
  const signal = AbortSignal.timeout(3_600_000)
  const exchangeOne = async (connection: UplinkConnection): Promise<void> => {
    const result = await transfer(connection, shape, signal)
    bytesSent += result.bytesSent
    bytesVerified += result.bytesVerified
    messagesSent += result.messagesSent
    tally(label(result.outcome))
    await connection.close({ signal }).catch(() => {})
  }
  const exchanges: Array<Promise<void>> = []
  // every connection of this process is dialed at once, so the listener sees the whole burst of handshakes together
  const dialed = await Promise.all(Array.from({ length: Number(connections) }, async () => {
    try {
      const connection = await dial(upgrader, multiaddr(addr ?? ''), { signal, inactivityTimeout: LOAD_TIMEOUT })
      if (exchange === 'while-dialing') exchanges.push(exchangeOne(connection))
      return connection
    } catch (err) {
      tally(`dial: ${(err as Error).name}`)
      return undefined
    }
  }))
  say({ event: 'connected', connections: dialed.filter(c => c != null).length, cpu: cpuSeconds(), sched: schedStat() })
  if (exchange !== 'while-dialing') {
    // the exchange starts once every process has dialed everything: then no handshake competes with data
    await waitForGo()
    for (const connection of dialed) if (connection != null) exchanges.push(exchangeOne(connection))
  }
  await Promise.all(exchanges)
  say({ event: 'done', outcomes, bytesSent, bytesVerified, messagesSent, cpu: cpuSeconds() })
  process.exit(0)
} else {
  process.stderr.write(`unknown role ${role}\n`)
  process.exit(2)
}
