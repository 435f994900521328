// The two sides of a row, each in a process of our peer (src/peer/main.ts), driven through the
// interop JSON-line client (PeerProcess). A full run starts fresh processes for every run of every
// row; the quick mode (`usePool`) keeps one listener process and one dialer process for all rows,
// because starting a Node process with these libraries costs seconds on a loaded machine.
import { fileURLToPath } from 'node:url'
import { PeerProcess } from '@uplink/interop/fixtures/peer-process'
import type { Serve } from '../peer/endpoints.js'
import type { MajorGcCounter } from './major-gcs.js'
import type { Stack } from '../peer/stack.js'

const PEER_MAIN = fileURLToPath(new URL('../peer/main.js', import.meta.url))

/** Long enough for a 1 GiB transfer at a few MB/s on a loaded machine: only a hang guard. */
export const COMMAND_TIMEOUT_MS = 20 * 60_000

export interface Side {
  /** The listen address (listener sides). */
  addr: string
  /** The side's process (shared by every row in the quick mode). */
  pid: number
  command: (cmd: string, fields: Record<string, unknown>) => Promise<Record<string, unknown>>
  /** Full collections the side's process has run so far. */
  majorGcs: () => Promise<number>
  release: () => Promise<void>
}

let pool: { listener: Promise<PeerProcess>, dialer: Promise<PeerProcess> } | undefined

/** `UPLINK_BENCH_CPU_PROF=DIR`: every peer writes a V8 CPU profile into DIR when it stops (the "profile first"). */
function profileArgs (): string[] {
  const dir = process.env.UPLINK_BENCH_CPU_PROF
  return dir == null || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]
}

async function spawnPeer (label: string, config: Record<string, unknown>): Promise<PeerProcess> {
  return PeerProcess.spawn({
    label,
    command: process.execPath,
    args: ['--expose-gc', ...profileArgs(), PEER_MAIN, JSON.stringify(config)],
    readyTimeoutMs: 60_000,
    verbose: process.env.UPLINK_BENCH_VERBOSE === '1'
  })
}

/** Every later side shares two long-lived processes (the quick mode). */
export function usePool (): void {
  pool ??= { listener: spawnPeer('bench listener', {}), dialer: spawnPeer('bench dialer', {}) }
}

export async function stopPool (): Promise<void> {
  if (pool == null) return
  const { listener, dialer } = pool
  pool = undefined
  await Promise.allSettled([listener, dialer].map(async peer => { await (await peer).stop({ timeoutMs: 10_000 }) }))
}

/** Sends a command and returns its result; throws with the peer's error unless ok. */
export async function command (peer: PeerProcess, cmd: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await peer.command(cmd, fields, { timeoutMs: COMMAND_TIMEOUT_MS })
  if (result.ok !== true) throw new Error(`${peer.label} ${cmd}: ${String(result.error)}\n${peer.stderr}`)
  return result
}

/** The 127.0.0.1 address among those a listener reported. */
export const localAddress = (addrs: unknown, label: string): string => {
  const found = Array.isArray(addrs) ? addrs.map(String).find(addr => addr.includes('/127.0.0.1/')) : undefined
  if (found == null) throw new Error(`${label} reported no 127.0.0.1 address`)
  return found
}

function side (addr: string, peer: PeerProcess, run: Side['command'], release: Side['release']): Side {
  return { addr, pid: peer.pid, command: run, majorGcs: async () => Number((await run('major-gcs', {})).count), release }
}

/** A listener of `stack` serving `serve` (and, on node systems, both the sink and echo protocols). */
export async function listenerSide (stack: Stack, serve: Serve): Promise<Side> {
  if (pool != null) {
    const peer = await pool.listener
    const addr = localAddress((await command(peer, 'listen', { stack, serve })).addrs, peer.label)
    return side(addr, peer, async (cmd, fields) => command(peer, cmd, { stack, ...fields }), async () => { await command(peer, 'unlisten', { addr }) })
  }
  const peer = await spawnPeer(`bench listener (${JSON.stringify(stack)})`, { stack, listen: serve })
  return side(localAddress(peer.ready.addrs, peer.label), peer, async (cmd, fields) => command(peer, cmd, fields), async () => { await peer.stop({ timeoutMs: 10_000 }) })
}

/** A side that dials with `stack` (and runs the crypto limits). */
export async function dialerSide (stack: Stack): Promise<Side> {
  if (pool != null) {
    const peer = await pool.dialer
    return side('', peer, async (cmd, fields) => command(peer, cmd, { stack, ...fields }), async () => { await command(peer, 'close-idle', {}) })
  }
  const peer = await spawnPeer(`bench dialer (${JSON.stringify(stack)})`, { stack })
  return side('', peer, async (cmd, fields) => command(peer, cmd, fields), async () => { await peer.stop({ timeoutMs: 10_000 }) })
}

/** Runs `body` with the address, process id and full-collection count of an Uplink listener of `stack` that echoes, then releases it. */
export async function withEchoListener<T> (stack: Stack, body: (addr: string, pid: number, majorGcs: MajorGcCounter) => Promise<T>): Promise<T> {
  return withSides([listenerSide(stack, 'echo')], async ([listener]) => body(listener!.addr, listener!.pid, listener!.majorGcs))
}

/** Runs `body` with the sides, then releases them whatever happened. */
export async function withSides<T> (sides: Array<Promise<Side>>, body: (sides: Side[]) => Promise<T>): Promise<T> {
  const settled = await Promise.allSettled(sides)
  const started = settled.flatMap(s => s.status === 'fulfilled' ? [s.value] : [])
  try {
    const failed = settled.find(s => s.status === 'rejected')
    if (failed != null) throw failed.reason
    return await body(started)
  } finally {
    await Promise.allSettled(started.map(async side => { await side.release() }))
  }
}
