// Memory per idle secured + muxed connection, in the listener's process after a full GC (the same
// Uplink upgrader dials both listeners, so only the listener differs); and many streams at once.
import { dialerSide, listenerSide, withSides } from '../run/children.js'
import type { Stack } from '../peer/stack.js'
import type { Row } from './row.js'

const heap = (sample: Record<string, unknown>): number => Number(sample.heapUsed) + Number(sample.external)

function memory (stack: Stack, count: number, reference: boolean): Row {
  return {
    id: `memory-${stack.system}-${stack.crypto ?? ''}-${count}`,
    group: 'memory',
    label: `${stack.system === 'uplink' ? 'Uplink' : 'js-libp2p v3'} ${stack.crypto} + yamux, ${count} idle connections`,
    unit: 'KiB/connection',
    reference,
    measure: async () => {
      return withSides([listenerSide(stack, 'echo'), dialerSide({ system: 'uplink', crypto: stack.crypto })], async ([listener, dialer]) => {
        const before = await listener!.command('memory', { addr: listener!.addr })
        const opened = await dialer!.command('open-idle', { addr: listener!.addr, count })
        const after = await listener!.command('memory', { addr: listener!.addr })
        return {
          value: (heap(after) - heap(before)) / count / 1024,
          rss: (Number(after.rss) - Number(before.rss)) / count / 1024,
          setupMs: Number(opened.ms) / count,
          intact: opened.open === count && after.connections === count
        }
      })
    }
  }
}

export function memoryRows (counts: number[]): Row[] {
  return counts.flatMap(count => [
    memory({ system: 'uplink', crypto: 'secio' }, count, false),
    memory({ system: 'libp2p', crypto: 'noise' }, count, true)
  ])
}

export const STREAMS_ROW: Row = {
  id: 'streams-uplink-secio',
  group: 'streams',
  label: 'Uplink secio + yamux: concurrent streams on one connection, each a small echo',
  unit: 'streams/s',
  measure: async (sizes) => withSides([listenerSide({ system: 'uplink', crypto: 'secio' }, 'echo'), dialerSide({ system: 'uplink', crypto: 'secio' })], async ([listener, dialer]) => {
    const result = await dialer!.command('streams', { addr: listener!.addr, count: sizes.concurrentStreams, bytes: sizes.streamBytes })
    return { value: Number(result.count) / (Number(result.ms) / 1000), intact: result.intact === true && result.count === sizes.concurrentStreams }
  })
}
