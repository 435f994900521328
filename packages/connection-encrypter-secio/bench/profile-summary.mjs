// Self time per function of a V8 .cpuprofile (from `node --cpu-prof`), busy time only (idle left out).
//   node bench/profile-summary.mjs FILE.cpuprofile [top=25]
import { readFileSync } from 'node:fs'

const [file, top = '25'] = process.argv.slice(2)
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map(node => [node.id, node]))
const selfMicros = new Map()
const deltas = profile.timeDeltas

for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (deltas[i + 1] ?? 0))
}

// where a sample's time goes, by the function it was taken in
const CATEGORIES = [
  ['HMAC', ({ functionName, url }) => url.endsWith('crypto/hash') && ['update', 'digest', 'Hmac', 'Hash'].includes(functionName)],
  ['AES-CTR', ({ functionName, url }) => url.endsWith('crypto/cipher') && functionName === 'update'],
  ['GC', ({ functionName }) => functionName === '(garbage collector)'],
  ['socket write', ({ functionName }) => ['writeBuffer', 'writev', 'writevGeneric', 'writeGeneric'].includes(functionName)],
  ['native, unattributed (reads, libuv)', ({ functionName }) => functionName === '(program)'],
  ['start-up (module loading, compiling)', ({ url, functionName }) => /modules|realm|package_json/.test(url) || ['internalModuleStat', 'getPackageScopeConfig', 'realpathSync', 'compileFunction'].includes(functionName)]
]
const categories = new Map()
const rows = new Map()
let busy = 0
for (const [id, micros] of selfMicros) {
  const { callFrame } = byId.get(id)
  if (callFrame.functionName === '(idle)') continue
  const where = callFrame.url === '' ? '' : ` ${callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/packages\//, '')}:${callFrame.lineNumber + 1}`
  const key = `${callFrame.functionName || '(anonymous)'}${where}`
  rows.set(key, (rows.get(key) ?? 0) + micros)
  const category = CATEGORIES.find(([, test]) => test(callFrame))?.[0] ?? 'other JS and its native calls'
  categories.set(category, (categories.get(category) ?? 0) + micros)
  busy += micros
}

console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s`)
for (const [name, micros] of [...categories].sort((a, b) => b[1] - a[1])) {
  console.log(`${(100 * micros / busy).toFixed(1).padStart(5)} %  [${name}]`)
}
console.log('')
for (const [key, micros] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${(100 * micros / busy).toFixed(1).padStart(5)} %  ${key}`)
}
