// `node .runtime/run.mjs pnpm reliability [part …]`: runs the named parts (all by default) at full size,
// keeps each part's figures in results/, and rewrites the faults and hostile regions of docs/RELIABILITY.md.
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { EXCHANGE_STARTS, FULL_LOAD } from './load.js'
import type { ExchangeStart } from './load.js'
import { PARTS } from './parts.js'
import { writeReport } from './report.js'
import { saveResult } from './results.js'

const args = process.argv.slice(2)
// `--messages=N`: messages per connection in the load part (a shorter run than the documented 10,000)
const messages = args.find(arg => arg.startsWith('--messages='))
if (messages != null) FULL_LOAD.messagesPerConnection = Number(messages.slice('--messages='.length))
// `--exchange=while-dialing`: each connection of the load part exchanges as soon as it is up, under the default upgrade deadline
const exchange = args.find(arg => arg.startsWith('--exchange='))
if (exchange != null) {
  const value = exchange.slice('--exchange='.length)
  if (!(EXCHANGE_STARTS as readonly string[]).includes(value)) {
    console.error(`unknown --exchange=${value}; one of: ${EXCHANGE_STARTS.join(', ')}`)
    process.exit(2)
  }
  FULL_LOAD.exchange = value as ExchangeStart
}
const asked = args.filter(arg => !arg.startsWith('--'))
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
    // a run whose exchange competes with the dials keeps its own figures, next to the documented run's
    part: part === 'load' && FULL_LOAD.exchange === 'while-dialing' ? 'load-while-dialing' : part,
    command: `node .runtime/run.mjs pnpm reliability ${part}${part === 'load' ? [messages, exchange].filter(a => a != null).map(a => ` ${a ?? ''}`).join('') : ''}`,
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
