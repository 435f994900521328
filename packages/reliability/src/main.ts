// `node .runtime/run.mjs pnpm reliability [part …]`: runs the named parts (all by default) at full size,
// keeps each part's figures in results/, and rewrites the faults and hostile regions of docs/RELIABILITY.md.
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { PARTS } from './parts.js'
import { writeReport } from './report.js'
import { saveResult } from './results.js'

const asked = process.argv.slice(2)
const unknown = asked.filter(part => !(part in PARTS))
if (unknown.length > 0) {
  console.error(`unknown part(s): ${unknown.join(', ')}; the parts are: ${Object.keys(PARTS).join(', ')}`)
  process.exit(2)
}

const parts = asked.length > 0 ? asked : Object.keys(PARTS)
let failed = false

for (const part of parts) {
  const run = PARTS[part]
  if (run == null) continue
  console.log(`reliability: ${part} …`)
  const started = performance.now()
  const { figures, ok } = await run()
  const seconds = Math.round((performance.now() - started) / 100) / 10
  saveResult({
    part,
    command: `node .runtime/run.mjs pnpm reliability ${part}`,
    finished: new Date().toISOString(),
    seconds,
    machine: `Node.js ${process.version}, ${cpus().length} cores`,
    figures
  })
  console.log(`reliability: ${part} ${ok ? 'held' : 'FAILED'} in ${seconds} s`)
  failed ||= !ok
}

writeReport()
console.log('reliability: figures written to docs/RELIABILITY.md')
process.exit(failed ? 1 : 0)
