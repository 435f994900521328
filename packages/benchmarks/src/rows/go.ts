// go-libp2p-secio v0.2.3 (packages/interop/go) against Uplink's bare SECIO, both directions, and
// each against itself. The Go peer only echoes, so these rows are echoes: bytes / time, each byte
// crossing both ways; AES-256/SHA256 forced on both sides; built by the interop build helper.
import { GoPeer } from '@uplink/interop/fixtures/go-peer'
import { GO_TOOLCHAIN, ensureGoPeer } from '@uplink/interop/fixtures/go-build'
import { toolchainVersion } from '@uplink/interop/fixtures/toolchain'
import { dialerSide, withEchoListener, withSides } from '../run/children.js'
import { withForeignListener } from '../run/foreign-listener.js'
import { mbps } from './row.js'
import type { Stack } from '../peer/stack.js'
import type { Sizes } from '../sizes.js'
import type { Row, Sample } from './row.js'

const UPLINK: Stack = { system: 'uplink-bare', cipher: 'AES-256', hash: 'SHA256' }
const goListener = async (): Promise<GoPeer> => GoPeer.start({ mode: 'bare-secio-listen', mss: true, ciphers: ['AES-256'], hashes: ['SHA256'] })
const goDialer = async (): Promise<GoPeer> => GoPeer.start({ mode: 'bare-secio-dial', mss: true, ciphers: ['AES-256'], hashes: ['SHA256'] })

async function goDials (listenAddr: string, sizes: Sizes): Promise<Sample> {
  const dialer = await goDialer()
  try {
    const result = await dialer.dialEcho(listenAddr, sizes.echoBytes, { chunk: sizes.chunk, window: sizes.window, timeoutMs: 20 * 60_000 })
    return { value: mbps(result.bytes ?? 0, result.ms ?? NaN), intact: result.ok && result.bytes === sizes.echoBytes }
  } finally {
    await dialer.stop()
  }
}

async function uplinkDials (listenAddr: string, sizes: Sizes): Promise<Sample> {
  return withSides([dialerSide(UPLINK)], async ([dialer]) => {
    const result = await dialer!.command('dial-echo', { addr: listenAddr, bytes: sizes.echoBytes, chunk: sizes.chunk, window: sizes.window })
    return { value: mbps(Number(result.bytes), Number(result.ms)), intact: result.intact === true }
  })
}

const withGoListener = async (body: (addr: string) => Promise<Sample>): Promise<Sample> => withForeignListener('the Go listener', goListener, body)
const withUplinkListener = async (body: (addr: string) => Promise<Sample>): Promise<Sample> => withEchoListener(UPLINK, body)

async function goMissing (): Promise<string | undefined> {
  if (toolchainVersion(GO_TOOLCHAIN) == null) return `\`go\` was not found; install ${GO_TOOLCHAIN.hint}`
  await ensureGoPeer()
  return undefined
}

function echoRow (id: string, label: string, reference: boolean, measure: (sizes: Sizes) => Promise<Sample>): Row {
  return { id, group: 'echo', label, unit: 'MB/s', reference, measure, ...(id.includes('go') ? { unavailable: goMissing } : {}) }
}

export const GO_ROWS: Row[] = [
  echoRow('echo-uplink-uplink', 'Uplink dials Uplink', false, async sizes => withUplinkListener(async addr => uplinkDials(addr, sizes))),
  echoRow('echo-go-go', 'Go dials Go', true, async sizes => withGoListener(async addr => goDials(addr, sizes))),
  echoRow('echo-uplink-go', 'Uplink dials Go', false, async sizes => withGoListener(async addr => uplinkDials(addr, sizes))),
  echoRow('echo-go-uplink', 'Go dials Uplink', false, async sizes => withUplinkListener(async addr => goDials(addr, sizes)))
]
