// Throughput rows between two of our peer processes: one direction, one stream (or the secured
// connection itself, or a raw socket), every byte checked by the receiver.
import { dialerSide, listenerSide, withSides } from '../run/children.js'
import { withSideCosts } from '../run/side-costs.js'
import { describe } from '../peer/stack.js'
import { mbps } from './row.js'
import type { Stack } from '../peer/stack.js'
import type { Row } from './row.js'

function oneWay (id: string, stack: Stack, reference = false): Row {
  return {
    id,
    group: 'throughput',
    label: describe(stack),
    unit: 'MB/s',
    reference,
    measure: async (sizes) => withSides([listenerSide(stack, 'sink'), dialerSide(stack)], async ([listener, dialer]) => {
      const { result, costs } = await withSideCosts([listener!, dialer!], async () =>
        dialer!.command('send', { addr: listener!.addr, bytes: sizes.throughputBytes, chunk: sizes.chunk }))
      return { value: mbps(Number(result.bytes), Number(result.ms)), intact: result.intact === true && result.bytes === sizes.throughputBytes, ...costs, dialerWaited: Number(result.waitedMs) / 1000 }
    })
  }
}

export const ONE_WAY_ROWS: Row[] = [
  oneWay('bare-secio-aes256-sha256', { system: 'uplink-bare', cipher: 'AES-256', hash: 'SHA256' }),
  oneWay('bare-secio-aes128-sha256', { system: 'uplink-bare', cipher: 'AES-128', hash: 'SHA256' }),
  oneWay('bare-secio-aes256-sha512', { system: 'uplink-bare', cipher: 'AES-256', hash: 'SHA512' }),
  oneWay('minimal-secio-aes256-sha256', { system: 'minimal-secio' }, true),
  oneWay('uplink-secio', { system: 'uplink', crypto: 'secio', cipher: 'AES-256', hash: 'SHA256' }),
  oneWay('uplink-noise', { system: 'uplink', crypto: 'noise' }, true),
  oneWay('uplink-plaintext', { system: 'uplink', crypto: 'plaintext' }, true),
  oneWay('libp2p-secio', { system: 'libp2p', crypto: 'secio', cipher: 'AES-256', hash: 'SHA256' }),
  oneWay('libp2p-noise', { system: 'libp2p', crypto: 'noise' }, true),
  oneWay('raw-tcp', { system: 'tcp' }, true)
]
