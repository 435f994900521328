import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { evaluate, targets } from '../src/ratios.js'
import { markdown } from '../src/report/markdown.js'
import { loadResults, mergeResults, saveResults } from '../src/report/results.js'
import { SECTIONS } from '../src/sections.js'
import { QUICK } from '../src/sizes.js'
import { summarize } from '../src/stats.js'
import type { Machine } from '../src/report/machine.js'
import type { Row } from '../src/rows/row.js'

const row = (id: string): Row => ({ id, group: 'throughput', label: id, unit: 'MB/s', measure: async () => ({ value: 0, intact: true }) })
const measured = (id: string, value: number): ReturnType<typeof summarize> => summarize(row(id), [{ value, intact: true }])
const machine = (commit: string): Machine => ({ cpu: 'cpu', cores: 2, memoryGiB: 4, node: 'v22', commit, date: '2026-12-01T00:00:00Z', loadStart: [1, 1, 1] })
const ORDER = ['uplink-secio', 'uplink-noise', 'gone-later']

describe('benchmark results kept between runs (--only)', () => {
  it('a run of some rows replaces those rows and keeps the others with the run that measured them', () => {
    const first = mergeResults({ runs: [], rows: [] }, { args: [], machine: machine('a'), sizes: QUICK }, [measured('uplink-secio', 120), measured('uplink-noise', 100)], ORDER)
    const second = mergeResults(first, { args: ['--only', 'uplink-noise'], machine: machine('b'), sizes: QUICK }, [measured('uplink-noise', 90)], ORDER)
    expect(second.rows.map(r => [r.row.id, r.run, r.median])).to.deep.equal([['uplink-secio', 1, 120], ['uplink-noise', 2, 90]])
    expect(second.runs.map(r => [r.run, r.machine.commit])).to.deep.equal([[1, 'a'], [2, 'b']])

    // the first run's last row replaced: it is no longer cited, and the runs are numbered afresh
    const third = mergeResults(second, { args: ['--only', 'uplink-secio'], machine: machine('c'), sizes: QUICK }, [measured('uplink-secio', 130)], ORDER)
    expect(third.runs.map(r => [r.run, r.machine.commit])).to.deep.equal([[1, 'b'], [2, 'c']])
    expect(third.rows.map(r => [r.row.id, r.run])).to.deep.equal([['uplink-secio', 2], ['uplink-noise', 1]])
  })

  it('drops a kept row that no longer exists', () => {
    const first = mergeResults({ runs: [], rows: [] }, { args: [], machine: machine('a'), sizes: QUICK }, [measured('gone-later', 1), measured('uplink-noise', 100)], ORDER)
    const second = mergeResults(first, { args: [], machine: machine('b'), sizes: QUICK }, [measured('uplink-noise', 90)], ['uplink-noise'])
    expect(second.rows.map(r => r.row.id)).to.deep.equal(['uplink-noise'])
    expect(second.runs).to.have.length(1)
  })

  it('computes no ratio across two runs, and says so', () => {
    const first = mergeResults({ runs: [], rows: [] }, { args: [], machine: machine('a'), sizes: QUICK }, [measured('uplink-secio', 200), measured('uplink-noise', 100)], ORDER)
    const target = targets([]).find(t => t.goal.startsWith('Uplink: secio + yamux'))!
    expect(evaluate(new Map(first.rows.map(r => [r.row.id, r])), target)).to.include({ pass: true })
    const second = mergeResults(first, { args: [], machine: machine('b'), sizes: QUICK }, [measured('uplink-noise', 100)], ORDER)
    const evaluated = evaluate(new Map(second.rows.map(r => [r.row.id, r])), target)
    expect(evaluated.pass).to.equal(undefined)
    expect(evaluated.measured).to.include('not measured in one run')
    const report = markdown(second, SECTIONS)
    expect(report).to.include('### Run 1').and.include('### Run 2').and.include('| run |')
  })

  it('survives the file: a row that never ran (NaN figures) reads back as NaN', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-results-'))
    try {
      const file = join(dir, 'results.json')
      expect(await loadResults(file)).to.deep.equal({ runs: [], rows: [] })
      const results = mergeResults({ runs: [], rows: [] }, { args: [], machine: machine('a'), sizes: QUICK }, [summarize(row('uplink-secio'), [], 'skipped: no Go')], ORDER)
      await saveResults(file, results)
      const back = await loadResults(file)
      expect(Number.isNaN(back.rows[0]!.median)).to.equal(true)
      expect(back.rows[0]!.skipped).to.equal('skipped: no Go')
    } finally {
      await rm(dir, { recursive: true })
    }
  })
})
