import type { TargetFigures } from './figures.js'

export interface RunSummary {
  seed: number
  command: string
  ms: number
  figures: TargetFigures[]
}

/** The figures of a whole run as the Markdown of docs/RELIABILITY.md's fuzzing region. */
export function renderFigures (run: RunSummary): string {
  const total = run.figures.reduce((sum, f) => sum + f.cases, 0)
  const peakHeap = Math.max(...run.figures.map(f => f.peakHeapUsed))
  const peakBuffers = Math.max(...run.figures.map(f => f.peakArrayBuffers))
  const peakRss = Math.max(...run.figures.map(f => f.peakRss))
  const lines = [
    `${count(total)} cases over ${run.figures.length} targets in ${seconds(run.ms)} s, seed \`${run.seed}\`, run by \`${run.command}\`: `,
    `every case ended with a named error or a clean, expected outcome and a closed connection; no crash, no unhandled`,
    `rejection, no hang. Peak memory of the whole run: heap ${mib(peakHeap)} MiB, ArrayBuffers ${mib(peakBuffers)} MiB, RSS ${mib(peakRss)} MiB.`,
    '',
    '| target | where | inputs | cases | outcomes (cases) | ms | peak heap MiB |',
    '| --- | --- | --- | ---: | --- | ---: | ---: |',
    ...run.figures.map(f => `| \`${f.target}\` | ${f.kind} | ${f.inputs} | ${count(f.cases)} | ${outcomes(f.outcomes)} | ${count(f.ms)} | ${mib(f.peakHeapUsed)} |`)
  ]

  return lines.join('\n')
}

function outcomes (byName: Record<string, number>): string {
  return Object.entries(byName).sort(([, a], [, b]) => b - a).map(([name, n]) => `${name.replace(/\|/g, '\\|')}: ${count(n)}`).join('; ')
}

function count (n: number): string {
  return n.toLocaleString('en-US')
}

function mib (bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0)
}

function seconds (ms: number): string {
  return (ms / 1000).toFixed(0)
}
