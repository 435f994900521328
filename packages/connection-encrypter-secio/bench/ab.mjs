// Runs channel.mjs in turn for two sides (A B A B …) and prints, for each, the median and the
// spread (min..max) of its figures, and the A/B ratio taken pair by pair. A side is a checkout
// and options of its own (two checkouts, or two stacks of one checkout):
//   node bench/ab.mjs --a DIR --b DIR [--a-args='--stack secio-yamux'] [--b-args=…] [--runs 5] -- [options for both]
import { execFileSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const { values: opts, positionals: rest } = parseArgs({
  allowPositionals: true,
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    'a-args': { type: 'string', default: '' },
    'b-args': { type: 'string', default: '' },
    runs: { type: 'string', default: '5' }
  }
})
const runs = Number(opts.runs)
const checkouts = { A: opts.a, B: opts.b }
const sideArgs = { A: opts['a-args'].split(' ').filter(Boolean), B: opts['b-args'].split(' ').filter(Boolean) }
const results = { A: [], B: [] }

const run = (side) => JSON.parse(execFileSync(process.execPath, [resolve(here, 'channel.mjs'), '--root', checkouts[side], ...rest, ...sideArgs[side]], { encoding: 'utf8', timeout: 600_000 }).trim().split('\n').pop())
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2 }
const spread = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}..${fmt(Math.max(...xs))})`
const fmt = (x) => x >= 100 ? x.toFixed(0) : x.toFixed(3)

for (let i = 0; i < runs; i++) {
  for (const side of ['A', 'B']) {
    const row = run(side)
    if (!row.intact) throw new Error(`${side} delivered corrupt data: ${JSON.stringify(row)}`)
    results[side].push(row)
    console.log(side, JSON.stringify(row))
  }
}

const figures = ['MBps', 'cpuMBps', 'senderCpu', 'receiverCpu', 'senderSystem', 'receiverSystem', 'sealLimitMBps', 'sealLimitCpuMBps', 'ratioToSealLimit', 'cpuRatioToSealLimit']
console.log(`\n${rest.join(' ')}: median (min..max) over ${runs} alternated runs`)
for (const side of ['A', 'B']) {
  console.log(`${side} ${checkouts[side]} ${sideArgs[side].join(' ')}`)
  for (const f of figures) console.log(`  ${f.padEnd(20)} ${spread(results[side].map(r => r[f]))}`)
}
console.log('A/B, pair by pair')
for (const f of ['MBps', 'cpuMBps', 'senderCpu', 'receiverCpu']) {
  console.log(`  ${f.padEnd(20)} ${spread(results.A.map((r, i) => r[f] / results.B[i][f]))}`)
}
