// The smoke test of `npm run bench`: its quick mode runs every row once with tiny sizes, in the
// separate processes a full run uses; every run must complete with its data intact. No speed is
// asserted. Go rows follow the interop convention: without `go` they skip loudly, and under
// UPLINK_REQUIRE_ALL_PEERS=1 (CI) they must run.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { REQUIRE_ALL_PEERS } from '@uplink/interop/fixtures/toolchain'
import { expect } from 'chai'
import { allRows } from '../src/rows/all.js'
import { ONE_WAY_ROWS } from '../src/rows/one-way.js'
import { QUICK } from '../src/sizes.js'

const BENCH = fileURLToPath(new URL('../src/bench.js', import.meta.url))

interface BenchLine { event: 'bench', rows: Array<{ id: string, runs: number, intact: boolean, skipped?: string }> }

async function runQuick (): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [BENCH, '--quick'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text })
  child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text })
  const code = await new Promise<number | null>(resolve => child.once('close', resolve))
  return { code, stdout, stderr }
}

/** The rows matching `isRow` of the first table of the report that holds one, and a reader of their cells by that table's column heads. */
function table (report: string, isRow: (line: string) => boolean): { rows: string[], column: (line: string, head: string) => string } {
  const lines = report.split('\n')
  const first = lines.findIndex(isRow)
  const start = lines.slice(0, Math.max(first, 0)).findLastIndex(line => line.startsWith('| row |'))
  expect(start, 'a table holding the rows').to.be.at.least(0)
  const after = lines.findIndex((line, i) => i > start && !line.startsWith('|'))
  const end = after < 0 ? lines.length : after
  const heads = lines[start]!.split('|').map(cell => cell.trim())
  return { rows: lines.slice(start, end).filter(isRow), column: (line, head) => line.split('|')[heads.indexOf(head)]?.trim() ?? '' }
}

describe('npm run bench -- --quick (every benchmark row, tiny sizes)', function () {
  // a hang guard only: the quick run takes ~30 s on a loaded 2-core machine (the Go peer's first build adds ~2 min)
  this.timeout(6 * 60_000)
  let run: Awaited<ReturnType<typeof runQuick>>
  let line: BenchLine

  before(async () => {
    run = await runQuick()
    const last = run.stdout.trim().split('\n').at(-1) ?? ''
    line = JSON.parse(last) as BenchLine
  })

  it('runs every row once with its data intact (Go rows skip loudly only without Go, never in CI)', () => {
    const expected = allRows(QUICK).map(row => row.id)
    expect(line.rows.map(row => row.id)).to.deep.equal(expected)
    for (const row of line.rows) {
      if (row.skipped != null && !REQUIRE_ALL_PEERS && row.id.includes('go') && row.skipped.includes('`go` was not found')) {
        console.error(`\n  !!! SKIPPED bench row ${row.id}: ${row.skipped}\n`)
        continue
      }
      expect(row, `${row.id}\n${run.stderr}`).to.deep.include({ runs: 1, intact: true })
      expect(row.skipped, row.id).to.equal(undefined)
    }
    expect(run.code, run.stderr).to.equal(0)
  })

  it('prints the report: the run and its machine, targets with a verdict each, and every row in a table', () => {
    expect(run.stdout).to.match(/^## Runs$/m)
    expect(run.stdout).to.match(/^### Run 1: `npm run bench` with `--quick`/m)
    expect(run.stdout).to.match(/^\| Node\.js \| v\d+\./m)
    expect(run.stdout).to.match(/^## Targets \(issue 9\)$/m)
    const verdicts = run.stdout.match(/^\| [^|]+ \| [^|]+ \| (\*\*pass\*\*|\*\*FAIL\*\*|not measured) \|$/gm) ?? []
    expect(verdicts.length).to.be.greaterThan(10)
    for (const row of allRows(QUICK)) expect(run.stdout, row.id).to.include(`| ${row.label} |`)
  })

  it('gives each memory row the setup time per connection, so how it grows with the count shows', () => {
    expect(run.stdout).to.match(/^\| row \|.* \| RSS KiB\/connection \| setup ms\/connection \|$/m)
    const memoryRows = run.stdout.split('\n').filter(line => line.includes(' idle connections |'))
    expect(memoryRows).to.have.length(QUICK.connectionCounts.length * 2)
    for (const line of memoryRows) {
      const setupMs = Number(line.split('|').at(-2)?.trim())
      expect(setupMs, line).to.be.greaterThan(0)
    }
  })

  it('gives each one-way row the CPU seconds and full collections of both sides (all Node) and the sender\'s wait for drains', () => {
    const { rows, column } = table(run.stdout, line => ONE_WAY_ROWS.some(row => line.startsWith(`| ${row.label} |`)))
    expect(rows).to.have.length(ONE_WAY_ROWS.length)
    for (const line of rows) {
      // the quick sizes take milliseconds, and /proc counts in 10 ms ticks: 0.00 is a figure, '–' is none
      for (const head of ['listener CPU s', 'dialer CPU s']) expect(column(line, head), `${head}: ${line}`).to.match(/^\d+\.\d+$/)
      for (const head of ['listener full GCs', 'dialer full GCs']) expect(column(line, head), `${head}: ${line}`).to.match(/^\d/)
      expect(column(line, 'dialer waited for drain s'), line).to.match(/^\d+(\.\d+)?$/)
    }
  })

  it('gives each echo row that ran the CPU seconds of both sides, and the full collections of each Node side', () => {
    const { rows, column } = table(run.stdout, line => /^\| (Uplink|Go) dials (Go|Uplink) \|.*\| intact \|/.test(line))
    expect(rows).to.not.have.length(0)
    for (const line of rows) {
      expect(['listener CPU s', 'dialer CPU s'].map(head => Number(column(line, head))).every(Number.isFinite), line).to.equal(true)
      // a count for every Node side (0 is a count), none for a Go side, which has no V8 heap
      const [dialer, listener] = line.slice(2).split(' dials ').map(side => side.split(' ')[0])
      expect(column(line, 'listener full GCs'), line).to.match(listener === 'Go' ? /^–$/ : /^\d/)
      expect(column(line, 'dialer full GCs'), line).to.match(dialer === 'Go' ? /^–$/ : /^\d/)
    }
  })
})
