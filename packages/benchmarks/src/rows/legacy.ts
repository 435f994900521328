// libp2p 0.29 + libp2p-secio 0.13.1 (packages/interop/legacy, in its own process): its sender
// cannot do echoes over 4 MiB, so these rows are repeated 4 MiB echoes over one secio + mplex
// connection (the muxer the legacy node speaks), with the legacy peer's own 64 KiB writes and
// 1 MiB window on every side; Uplink against itself in the same shape.
import { LegacyPeer } from '@uplink/interop/fixtures/legacy-peer'
import { dialerSide, withEchoListener, withSides } from '../run/children.js'
import { withForeignListener } from '../run/foreign-listener.js'
import { mbps } from './row.js'
import type { Stack } from '../peer/stack.js'
import type { Sizes } from '../sizes.js'
import type { Row, Sample } from './row.js'

const UPLINK: Stack = { system: 'uplink', crypto: 'secio', cipher: 'AES-256', hash: 'SHA256', muxer: 'mplex' }
const LEGACY_CHUNK = 64 * 1024
const LEGACY_WINDOW = 1024 * 1024

async function legacyDials (addr: string, sizes: Sizes): Promise<Sample> {
  const dialer = await LegacyPeer.start({ mode: 'node' })
  try {
    let bytes = 0
    let ms = 0
    for (let i = 0; i < sizes.legacyEchoes; i++) {
      const echo = await dialer.dialEcho(addr, sizes.legacyEchoBytes, { chunk: LEGACY_CHUNK, window: LEGACY_WINDOW, timeoutMs: 5 * 60_000 })
      bytes += echo.bytes ?? 0
      ms += echo.ms ?? NaN
    }
    return { value: mbps(bytes, ms), intact: bytes === sizes.legacyEchoes * sizes.legacyEchoBytes }
  } finally {
    await dialer.stop()
  }
}

async function uplinkDials (addr: string, sizes: Sizes): Promise<Sample> {
  return withSides([dialerSide(UPLINK)], async ([dialer]) => {
    const result = await dialer!.command('dial-echo', { addr, bytes: sizes.legacyEchoBytes, chunk: LEGACY_CHUNK, window: LEGACY_WINDOW, repeat: sizes.legacyEchoes })
    return { value: mbps(Number(result.bytes), Number(result.ms)), intact: result.intact === true && result.bytes === sizes.legacyEchoes * sizes.legacyEchoBytes }
  })
}

const withLegacyListener = async (body: (addr: string) => Promise<Sample>): Promise<Sample> => withForeignListener('the legacy listener', async () => LegacyPeer.start({ mode: 'node' }), body)
const withUplinkListener = async (body: (addr: string) => Promise<Sample>): Promise<Sample> => withEchoListener(UPLINK, body)

function row (id: string, label: string, reference: boolean, measure: (sizes: Sizes) => Promise<Sample>): Row {
  return { id, group: 'legacy', label, unit: 'MB/s', reference, measure }
}

export const LEGACY_ROWS: Row[] = [
  row('legacy-uplink-uplink', 'Uplink dials Uplink (secio + mplex)', false, async sizes => withUplinkListener(async addr => uplinkDials(addr, sizes))),
  row('legacy-legacy-legacy', 'legacy dials legacy (secio 0.13.1 + mplex)', true, async sizes => withLegacyListener(async addr => legacyDials(addr, sizes))),
  row('legacy-legacy-uplink', 'legacy dials Uplink', false, async sizes => withUplinkListener(async addr => legacyDials(addr, sizes))),
  row('legacy-uplink-legacy', 'Uplink dials legacy', false, async sizes => withLegacyListener(async addr => uplinkDials(addr, sizes)))
]
