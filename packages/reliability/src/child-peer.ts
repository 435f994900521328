// An Uplink peer in a process of its own, so a test can SIGKILL it or run many of them at once.
// It speaks one JSON line per event on stdout; a dialer waits for "go" on stdin before it dials, and again
// before its connections exchange their messages.
//   node child-peer.js listen <muxer>                        → {"event":"listening","addr":…}
//   node child-peer.js dial <muxer> <addr> <connections> <streams> <messages> <maxMessage>
//                                                            → {"event":"ready"} {"event":"connected",…} {"event":"done",…}
import { createInterface } from 'node:readline'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { LOAD_TIMEOUT, dial, startListener, upgraderFor } from './endpoints.js'
import { label } from './outcome.js'
import { transfer } from './transfer.js'
import type { MuxerName } from './endpoints.js'
import type { Tally } from './outcome.js'

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
  const [addr, connections, streams, messages, maxMessage] = rest
  const upgrader = upgraderFor(await generateKeyPair('Ed25519'), { muxer, upgradeTimeout: LOAD_TIMEOUT })
  const shape = { streams: Number(streams), messages: Number(messages), maxMessage: Number(maxMessage) }
  say({ event: 'ready' })
  await waitForGo()
  const outcomes: Tally = {}
  const tally = (key: string): void => { outcomes[key] = (outcomes[key] ?? 0) + 1 }
  let bytesSent = 0
  let bytesVerified = 0
  let messagesSent = 0
  const signal = AbortSignal.timeout(3_600_000)
  // first every connection of this process is dialed at once, so the listener sees the whole burst of
  // handshakes together; then they all exchange their messages at once
  const dialed = await Promise.all(Array.from({ length: Number(connections) }, async () => {
    try {
      return await dial(upgrader, multiaddr(addr ?? ''), { signal, inactivityTimeout: LOAD_TIMEOUT })
    } catch (err) {
      tally(`dial: ${(err as Error).name}`)
      return undefined
    }
  }))
  say({ event: 'connected', connections: dialed.filter(c => c != null).length })
  // and the exchange starts only once every process has dialed everything: a process already busy with data
  // would otherwise starve the others' handshakes on a shared machine
  await waitForGo()
  await Promise.all(dialed.map(async connection => {
    if (connection == null) return
    const result = await transfer(connection, shape, signal)
    bytesSent += result.bytesSent
    bytesVerified += result.bytesVerified
    messagesSent += result.messagesSent
    tally(label(result.outcome))
    await connection.close({ signal }).catch(() => {})
  }))
  say({ event: 'done', outcomes, bytesSent, bytesVerified, messagesSent })
  process.exit(0)
} else {
  process.stderr.write(`unknown role ${role}\n`)
  process.exit(2)
}
