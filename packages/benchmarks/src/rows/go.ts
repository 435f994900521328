// go-libp2p-secio v0.2.3 (packages/interop/go) against Uplink's bare SECIO, both directions, and
// each against itself. The Go peer only echoes, so these rows are echoes: bytes / time, each byte
// crossing both ways; AES-256/SHA256 forced on both sides; built by the interop build helper.
import { GoPeer } from '@uplink/interop/fixtures/go-peer'
import { GO_TOOLCHAIN, ensureGoPeer } from '@uplink/interop/fixtures/go-build'
import { toolchainVersion } from '@uplink/interop/fixtures/toolchain'
import { dialerSide, withEchoListener, withSides } from '../run/children.js'
import { withSideCosts } from '../run/side-costs.js'
import { withForeignListener } from '../run/foreign-listener.js'
import { mbps } from './row.js'
import type { Stack } from '../peer/stack.js'
import type { End } from '../run/side-costs.js'
import type { Sizes } from '../sizes.js'
import type { Row, Sample } from './row.js'

const UPLINK: Stack = { system: 'uplink-bare', cipher: 'AES-256', hash: 'SHA256' }
// what any Node listener and dialer would need at least (peer/minimal-secio.ts): no Go, no handshake
const MINIMAL: Stack = { system: 'minimal-secio' }
const goListener = async (): Promise<GoPeer> => GoPeer.start({ mode: 'bare-secio-listen', mss: true, ciphers: ['AES-256'], hashes: ['SHA256'] })
const goDialer = async (): Promise<GoPeer> => GoPeer.start({ mode: 'bare-secio-dial', mss: true, ciphers: ['AES-256'], hashes: ['SHA256'] })

/** A dialer, given the listener's address and end: the row's sample, with both sides' CPU seconds and full collections. */
type Dials = (listenAddr: string, listener: End, sizes: Sizes) => Promise<Sample>

/** Runs `echo` and returns its sample, with what each side spent on it (nothing where a side cannot say). */
async function echoSample (sides: [listener: End, dialer: End], echo: () => Promise<{ result: { bytes?: unknown, ms?: unknown }, intact: boolean }>): Promise<Sample> {
  const { result: { result, intact }, costs } = await withSideCosts(sides, echo)
  return { value: mbps(Number(result.bytes ?? 0), Number(result.ms ?? NaN)), intact, ...costs }
}

const goDials: Dials = async (listenAddr, listener, sizes) => {
  const dialer = await goDialer()
  try {
    return await echoSample([listener, { pid: dialer.process.pid, majorGcs: undefined }], async () => {
      const result = await dialer.dialEcho(listenAddr, sizes.echoBytes, { chunk: sizes.chunk, window: sizes.window, timeoutMs: 20 * 60_000 })
      return { result, intact: result.ok && result.bytes === sizes.echoBytes }
    })
  } finally {
    await dialer.stop()
  }
}

const nodeDials = (stack: Stack): Dials => async (listenAddr, listener, sizes) => withSides([dialerSide(stack)], async ([dialer]) =>
  echoSample([listener, dialer!], async () => {
    const result = await dialer!.command('dial-echo', { addr: listenAddr, bytes: sizes.echoBytes, chunk: sizes.chunk, window: sizes.window })
    return { result, intact: result.intact === true }
  }))
const uplinkDials = nodeDials(UPLINK)

type Listens = (body: (addr: string, listener: End) => Promise<Sample>) => Promise<Sample>
const withGoListener: Listens = async (body) => withForeignListener('the Go listener', goListener, async (addr, pid) => body(addr, { pid, majorGcs: undefined }))
const withNodeListener = (stack: Stack): Listens => async (body) => withEchoListener(stack, async (addr, pid, majorGcs) => body(addr, { pid, majorGcs }))
const withUplinkListener = withNodeListener(UPLINK)
const withMinimalListener = withNodeListener(MINIMAL)
const pairing = (listens: Listens, dials: Dials) => async (sizes: Sizes): Promise<Sample> => listens(async (addr, listener) => dials(addr, listener, sizes))

async function goMissing (): Promise<string | undefined> {
  if (toolchainVersion(GO_TOOLCHAIN) == null) return `\`go\` was not found; install ${GO_TOOLCHAIN.hint}`
  await ensureGoPeer()
  return undefined
}

function echoRow (id: string, label: string, reference: boolean, measure: (sizes: Sizes) => Promise<Sample>): Row {
  return { id, group: 'echo', label, unit: 'MB/s', reference, measure, ...(id.includes('go') ? { unavailable: goMissing } : {}) }
}

export const GO_ROWS: Row[] = [
  echoRow('echo-uplink-uplink', 'Uplink dials Uplink', false, pairing(withUplinkListener, uplinkDials)),
  echoRow('echo-go-go', 'Go dials Go', true, pairing(withGoListener, goDials)),
  echoRow('echo-uplink-go', 'Uplink dials Go', false, pairing(withGoListener, uplinkDials)),
  echoRow('echo-go-uplink', 'Go dials Uplink', false, pairing(withUplinkListener, goDials)),
  echoRow('echo-minimal-minimal', 'minimal SECIO framing in Node, both sides (the floor of any Node peer)', true, pairing(withMinimalListener, nodeDials(MINIMAL)))
]
