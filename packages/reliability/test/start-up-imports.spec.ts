// What a reliability process loads for its hang guard: the guard alone (@uplink/fuzz/hang-guard), not
// the fuzz harness's fast-check nor the SECIO package's test build. Child peers start by the hundred.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'

const RECORD_IMPORTS = `
import { registerHooks } from 'node:module'
const urls = []
registerHooks({ resolve (specifier, context, next) { const resolved = next(specifier, context); urls.push(resolved.url); return resolved } })
process.on('exit', () => { process.stdout.write(JSON.stringify(urls)) })
`

/** Every module URL resolved while importing `modules`, in a fresh process. */
function importsOf (modules: string[]): string[] {
  const urls = modules.map(name => new URL(`../src/${name}`, import.meta.url).href)
  const run = spawnSync(process.execPath, [
    '--import', `data:text/javascript,${encodeURIComponent(RECORD_IMPORTS)}`,
    '--input-type=module', '-e', urls.map(url => `await import(${JSON.stringify(url)})`).join('\n')
  ], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8', timeout: 30_000 })
  expect(run.status, run.stderr).to.equal(0)
  return JSON.parse(run.stdout)
}

describe('what the reliability runs load', function () {
  this.timeout(40_000)

  it('the runs that use the hang guard load it alone: no fast-check, no SECIO test fixture', () => {
    const loaded = importsOf(['transfer.js', 'fault-matrix.js', 'kill.js', 'byte-flips.js'])
    expect(loaded.some(url => url.endsWith('/fuzz/dist/src/hang-guard.js')), 'the hang guard is loaded').to.equal(true)
    expect(loaded.filter(url => url.includes('/fast-check/') || url.includes('/fuzz/dist/src/index.js') || url.includes('/connection-encrypter-secio/dist/test/'))).to.deep.equal([])
  })
})
