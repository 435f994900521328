// One benchmark peer process (Uplink, js-libp2p v3, bare SECIO or raw TCP), driven by the JSON-line
// protocol of the interop reference peers (packages/interop/test/fixtures/peer-process.ts): a
// `ready` event, then commands on stdin, each answered by a `result` event with its `id`.
//   node dist/src/peer/main.js '{"stack":{"system":"uplink","crypto":"secio"},"listen":"sink"}'
// A command may name its own `stack`; `listen` / `unlisten` commands add and remove listeners, so
// that one process can serve many rows (the quick mode reuses two processes for every row).
import { createInterface } from 'node:readline'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { dialEcho } from './echo.js'
import { ECHO_PROTOCOL, SINK_PROTOCOL, dialer, listen } from './endpoints.js'
// counts full collections from here on, before the first row takes its before-count
import { majorGcCount } from './major-gcs.js'
import { memoryAfterGc } from './memory.js'
import { sealLimit } from './seal-limit.js'
import { concurrentStreams, connector, openIdle, setups } from './setups.js'
import { sendOneWay } from './sink.js'
import type { Dialer, Listening, Serve } from './endpoints.js'
import type { SealName } from './seal-limit.js'
import type { Stack } from './stack.js'
import type { Connection } from '@libp2p/interface'

interface Config { stack?: Stack, listen?: Serve }
type Command = Record<string, unknown> & { cmd: string, id?: string, stack?: Stack }

const emit = (event: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(event) + '\n') }
const config = JSON.parse(process.argv[2] ?? '{}') as Config
const privateKey = await generateKeyPair('Ed25519')
const listeners = new Map<string, Listening>()
const dialers = new Map<string, Dialer>()
const idle: Connection[] = []
const key = (stack: Stack): string => JSON.stringify(stack)
const stackOf = (command: Command): Stack => {
  const stack = command.stack ?? config.stack
  if (stack == null) throw new Error('UsageError: no stack in the command or the config')
  return stack
}

async function dialerFor (stack: Stack): Promise<Dialer> {
  let found = dialers.get(key(stack))
  if (found == null) {
    found = await dialer(stack, privateKey)
    dialers.set(key(stack), found)
  }
  return found
}

async function addListener (stack: Stack, serve: Serve): Promise<Listening> {
  const listening = await listen(stack, privateKey, serve)
  for (const addr of listening.addrs) listeners.set(addr, listening)
  return listening
}

if (config.listen != null) await addListener(stackOf({ cmd: 'config' }), config.listen)

const commands: Record<string, (command: Command) => Promise<Record<string, unknown>>> = {
  listen: async (command) => {
    const listening = await addListener(stackOf(command), command.serve as Serve)
    return { addrs: listening.addrs, peerId: listening.peerId }
  },
  unlisten: async ({ addr }) => {
    const listening = listeners.get(String(addr))
    await listening?.close()
    for (const other of listening?.addrs ?? []) listeners.delete(other)
    return {}
  },
  send: async (command) => {
    const dialing = await dialerFor(stackOf(command))
    return { ...await sendOneWay(await dialing.open(String(command.addr), SINK_PROTOCOL), Number(command.bytes), Number(command.chunk)) }
  },
  'dial-echo': async (command) => {
    const { addr, bytes, chunk, window, repeat } = command
    const dialing = await dialerFor(stackOf(command))
    let total = 0
    let ms = 0
    let intact = true
    for (let i = 0; i < Number(repeat ?? 1); i++) {
      const echo = await dialEcho(await dialing.open(String(addr), ECHO_PROTOCOL), Number(bytes), Number(chunk), Number(window))
      total += echo.bytes
      ms += echo.ms
      intact &&= echo.intact
    }
    return { bytes: total, ms, intact }
  },
  setups: async (command) => ({ ...await setups(connector(stackOf(command), privateKey), String(command.addr), Number(command.count), Number(command.concurrency)) }),
  'open-idle': async (command) => {
    const started = performance.now()
    const opened = await openIdle(connector(stackOf(command), privateKey), String(command.addr), Number(command.count), 16)
    const ms = performance.now() - started
    idle.push(...opened)
    return { open: opened.filter(connection => connection.status === 'open').length, ms }
  },
  'close-idle': async () => {
    await Promise.all(idle.splice(0).map(async connection => connection.close()))
    return {}
  },
  streams: async (command) => ({ ...await concurrentStreams(connector(stackOf(command), privateKey), String(command.addr), Number(command.count), Number(command.bytes)) }),
  seal: async ({ name, bytes }) => ({ mbps: sealLimit(name as SealName, Number(bytes)) }),
  memory: async ({ addr }) => ({ ...await memoryAfterGc(), connections: listeners.get(String(addr))?.connections() ?? 0 }),
  // CPU time this process has used so far (µs): a row takes it before and after, so a shared machine's load does not count
  cpu: async () => ({ ...process.cpuUsage() }),
  // full collections so far: a row takes them before and after, as it takes CPU time
  'major-gcs': async () => ({ count: majorGcCount() })
}

async function stop (): Promise<never> {
  await Promise.allSettled([...idle.map(async connection => connection.close()), ...[...dialers.values()].map(async d => d.close()), ...[...new Set(listeners.values())].map(async l => l.close())])
  emit({ event: 'stopped' })
  process.exit(0)
}

createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    const command = JSON.parse(line) as Command
    if (command.cmd === 'stop') {
      void stop()
      return
    }
    const run = commands[command.cmd]
    if (run == null) {
      emit({ event: 'result', id: command.id, ok: false, error: `UsageError: unknown command ${command.cmd}` })
      return
    }
    run(command).then(
      result => { emit({ event: 'result', id: command.id, cmd: command.cmd, ok: true, ...result }) },
      (err: Error) => { emit({ event: 'result', id: command.id, cmd: command.cmd, ok: false, error: `${err.name}: ${err.message}` }) }
    )
  })
  .on('close', () => { void stop() })

const first = [...listeners.values()][0]
emit({ event: 'ready', pid: process.pid, addrs: first?.addrs ?? [], peerId: first?.peerId })
