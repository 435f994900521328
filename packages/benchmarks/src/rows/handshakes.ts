// Full connection setups per second (TCP, mss, crypto, mss, yamux, 1 KiB echo), sequential and
// concurrent, from a standalone Uplink upgrader in one process to an Uplink node in another.
import { dialerSide, listenerSide, withSides } from '../run/children.js'
import { percentile } from './row.js'
import type { CryptoName } from '../peer/stack.js'
import type { Row } from './row.js'

function handshakes (crypto: CryptoName, concurrent: boolean): Row {
  return {
    id: `handshake-${crypto}-${concurrent ? 'concurrent' : 'sequential'}`,
    group: 'handshake',
    label: `${crypto} + yamux, ${concurrent ? 'concurrent' : 'sequential'}`,
    unit: 'setups/s',
    reference: crypto !== 'secio',
    measure: async (sizes) => {
      const stack = { system: 'uplink' as const, crypto }
      return withSides([listenerSide(stack, 'echo'), dialerSide(stack)], async ([listener, dialer]) => {
        const result = await dialer!.command('setups', { addr: listener!.addr, count: sizes.handshakes, concurrency: concurrent ? sizes.handshakeConcurrency : 1 })
        const latencies = (result.latencies as number[])
        return {
          value: Number(result.count) / (Number(result.ms) / 1000),
          intact: result.count === sizes.handshakes,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99)
        }
      })
    }
  }
}

export const HANDSHAKE_ROWS: Row[] = (['secio', 'noise', 'plaintext'] as const).flatMap(crypto => [handshakes(crypto, false), handshakes(crypto, true)])
