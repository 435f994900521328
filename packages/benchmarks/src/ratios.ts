// The ratios of issue 9, and its targets with pass or fail, computed from the medians of this run.
import type { Summary } from './stats.js'

export interface Ratio {
  name: string
  numerator: string
  denominator: string
  /** The medians compared: the row's figure (default), or the CPU seconds of both rows' listeners. */
  of?: 'value' | 'listenerCpu'
}
export interface Target {
  goal: string
  ratio: Ratio | undefined
  atLeast?: number
  atMost?: number
  /** Targets that are not one ratio of medians: what was measured and whether it passes, or undefined when not measured. */
  check?: (byId: Map<string, Summary>) => Evaluated | undefined
}
export interface Evaluated { goal: string, measured: string, pass: boolean | undefined }

const r = (name: string, numerator: string, denominator: string, of?: Ratio['of']): Ratio => ({ name, numerator, denominator, ...(of != null ? { of } : {}) })

export const RATIOS: Ratio[] = [
  r('SECIO channel alone / SECIO seal limit (AES-256/SHA256)', 'bare-secio-aes256-sha256', 'limit-secio-aes256-sha256'),
  r('SECIO channel alone / SECIO seal limit (AES-128/SHA256)', 'bare-secio-aes128-sha256', 'limit-secio-aes128-sha256'),
  r('SECIO channel alone / SECIO seal limit (AES-256/SHA512)', 'bare-secio-aes256-sha512', 'limit-secio-aes256-sha512'),
  r('Uplink secio + yamux / Uplink noise + yamux', 'uplink-secio', 'uplink-noise'),
  r('js-libp2p secio + yamux / js-libp2p noise + yamux', 'libp2p-secio', 'libp2p-noise'),
  r('Uplink secio + yamux / js-libp2p noise + yamux', 'uplink-secio', 'libp2p-noise'),
  r('Uplink secio + yamux / Uplink plaintext + yamux', 'uplink-secio', 'uplink-plaintext'),
  r('SECIO channel alone / raw TCP', 'bare-secio-aes256-sha256', 'raw-tcp'),
  r('Uplink↔Uplink / Go↔Go (bare echo)', 'echo-uplink-uplink', 'echo-go-go'),
  r('Uplink dials Go / Go↔Go', 'echo-uplink-go', 'echo-go-go'),
  r('Go dials Uplink / Go↔Go', 'echo-go-uplink', 'echo-go-go'),
  r('Uplink↔Uplink / legacy↔legacy (4 MiB echoes, mplex)', 'legacy-uplink-uplink', 'legacy-legacy-legacy'),
  r('handshakes/s secio / noise, sequential', 'handshake-secio-sequential', 'handshake-noise-sequential'),
  r('handshakes/s secio / noise, concurrent', 'handshake-secio-concurrent', 'handshake-noise-concurrent'),
  // appended: the targets below refer to the entries above by position
  r('small messages/s: Uplink secio + yamux / Uplink noise + yamux', 'messages-uplink-secio', 'messages-uplink-noise'),
  r('small messages/s: Uplink secio + yamux / Uplink plaintext + yamux', 'messages-uplink-secio', 'messages-uplink-plaintext'),
  // the floor of any Node peer (peer/minimal-secio.ts): how far a target is from what Node reaches here at all
  r('minimal SECIO framing in Node / SECIO seal limit (AES-256/SHA256)', 'minimal-secio-aes256-sha256', 'limit-secio-aes256-sha256'),
  r('SECIO channel alone / minimal SECIO framing in Node', 'bare-secio-aes256-sha256', 'minimal-secio-aes256-sha256'),
  r('minimal↔minimal / Go↔Go (bare echo)', 'echo-minimal-minimal', 'echo-go-go'),
  r('Uplink↔Uplink / minimal↔minimal (bare echo)', 'echo-uplink-uplink', 'echo-minimal-minimal'),
  r('listener CPU per echo: minimal Node listener / Go listener', 'echo-minimal-minimal', 'echo-go-go', 'listenerCpu'),
  // each listener dialed by its own kind (the floor has no handshake, so no Go peer can dial it)
  r('listener CPU per echo: Uplink listener / minimal Node listener, each dialed by its own kind', 'echo-uplink-uplink', 'echo-minimal-minimal', 'listenerCpu')
]

export function ratio (byId: Map<string, Summary>, ratio: Ratio): number {
  const top = byId.get(ratio.numerator)
  const bottom = byId.get(ratio.denominator)
  if (top == null || bottom == null || top.skipped != null || bottom.skipped != null) return NaN
  // two runs met different loads on this shared machine: their figures are not side by side
  if (top.run !== bottom.run) return NaN
  if (ratio.of === 'listenerCpu') return (top.listenerCpu ?? NaN) / (bottom.listenerCpu ?? NaN)
  return top.median / bottom.median
}

const byName = (name: string): Ratio => RATIOS.find(x => x.name === name)!

function latencyTarget (id: string): Target {
  return {
    goal: `${id}: p99 ≤ 3 × p50 between two Uplink peers`,
    ratio: undefined,
    check: (byId) => {
      const row = byId.get(id)
      if (row?.p50 == null || row.p99 == null || row.skipped != null) return undefined
      return { goal: '', measured: `p99 / p50 = ${(row.p99 / row.p50).toFixed(2)} (p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms)`, pass: row.p99 <= 3 * row.p50 }
    }
  }
}

export function targets (memoryCounts: number[]): Target[] {
  return [
    { goal: 'SECIO channel alone ≥ 0.75 × its seal limit', ratio: byName(RATIOS[0]!.name), atLeast: 0.75 },
    { goal: 'Uplink: secio + yamux ≥ 1.2 × noise + yamux', ratio: byName(RATIOS[3]!.name), atLeast: 1.2 },
    { goal: 'js-libp2p v3: secio + yamux ≥ 1.2 × noise + yamux', ratio: byName(RATIOS[4]!.name), atLeast: 1.2 },
    { goal: '≥ go-libp2p-secio, bare: Uplink↔Uplink vs Go↔Go', ratio: byName(RATIOS[8]!.name), atLeast: 1 },
    { goal: '≥ go-libp2p-secio, bare: Uplink dials Go vs Go↔Go', ratio: byName(RATIOS[9]!.name), atLeast: 1 },
    { goal: '≥ go-libp2p-secio, bare: Go dials Uplink vs Go↔Go', ratio: byName(RATIOS[10]!.name), atLeast: 1 },
    { goal: '≥ 3 × the legacy JS SECIO', ratio: byName(RATIOS[11]!.name), atLeast: 3 },
    { goal: 'handshakes/s ≥ noise, sequential', ratio: byName(RATIOS[12]!.name), atLeast: 1 },
    { goal: 'handshakes/s ≥ noise, concurrent', ratio: byName(RATIOS[13]!.name), atLeast: 1 },
    latencyTarget('handshake-secio-sequential'),
    latencyTarget('handshake-secio-concurrent'),
    ...memoryCounts.map(count => ({
      goal: `memory per idle connection at ${count}: Uplink secio + yamux ≤ js-libp2p v3 noise + yamux`,
      ratio: r(`memory at ${count}`, `memory-uplink-secio-${count}`, `memory-libp2p-noise-${count}`),
      atMost: 1
    })),
    {
      goal: 'concurrent streams on one connection all complete',
      ratio: undefined,
      check: (byId) => {
        const row = byId.get('streams-uplink-secio')
        if (row == null || row.skipped != null) return undefined
        return { goal: '', measured: `${row.samples.length} runs, every stream echoed intact: ${row.intact ? 'yes' : 'no'}`, pass: row.intact }
      }
    }
  ]
}

export function evaluate (byId: Map<string, Summary>, target: Target): Evaluated {
  if (target.ratio == null) {
    const checked = target.check?.(byId)
    return { goal: target.goal, measured: checked?.measured ?? 'not measured', pass: checked?.pass }
  }
  const value = ratio(byId, target.ratio)
  const [top, bottom] = [byId.get(target.ratio.numerator), byId.get(target.ratio.denominator)]
  if (Number.isNaN(value) && top != null && bottom != null && top.run !== bottom.run) {
    return { goal: target.goal, measured: `not measured in one run (${target.ratio.numerator}: run ${top.run}, ${target.ratio.denominator}: run ${bottom.run})`, pass: undefined }
  }
  if (Number.isNaN(value)) return { goal: target.goal, measured: 'not measured', pass: undefined }
  const pass = target.atLeast != null ? value >= target.atLeast : value <= (target.atMost ?? Infinity)
  return { goal: target.goal, measured: `${value.toFixed(2)} (${target.ratio.numerator} / ${target.ratio.denominator})`, pass }
}
