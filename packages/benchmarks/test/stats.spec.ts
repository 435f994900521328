import { expect } from 'chai'
import { RATIOS, evaluate, ratio, targets } from '../src/ratios.js'
import { barChart } from '../src/report/svg.js'
import { percentile } from '../src/rows/row.js'
import { median, summarize } from '../src/stats.js'
import type { Row } from '../src/rows/row.js'

const row = (id: string, label = id): Row => ({ id, group: 'throughput', label, unit: 'MB/s', measure: async () => ({ value: 0, intact: true }) })

describe('benchmark statistics and report', () => {
  it('median of odd and even counts, and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).to.equal(3)
    expect(median([4, 1, 3, 2])).to.equal(2.5)
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).to.equal(99)
    expect(percentile([10, 20], 50)).to.equal(10)
  })

  it('a CPU ratio compares the medians of both rows\' listener CPU seconds, not their speeds', () => {
    const byId = new Map([
      ['echo-minimal-minimal', summarize(row('echo-minimal-minimal'), [{ value: 150, intact: true, listenerCpu: 1.5 }, { value: 160, intact: true, listenerCpu: 1.4 }, { value: 155, intact: true, listenerCpu: 1.6 }])],
      ['echo-go-go', summarize(row('echo-go-go'), [{ value: 140, intact: true, listenerCpu: 1.0 }])]
    ])
    const cpu = RATIOS.find(x => x.of === 'listenerCpu' && x.denominator === 'echo-go-go')!
    expect(ratio(byId, cpu)).to.equal(1.5)
    const speed = RATIOS.find(x => x.of == null && x.numerator === 'echo-minimal-minimal' && x.denominator === 'echo-go-go')!
    expect(ratio(byId, speed)).to.be.closeTo(155 / 140, 1e-9)
  })

  it('a target passes or fails from the medians of its two rows, and says when it was not measured', () => {
    const byId = new Map([
      ['uplink-secio', summarize(row('uplink-secio'), [{ value: 130, intact: true }, { value: 110, intact: true }, { value: 120, intact: true }])],
      ['uplink-noise', summarize(row('uplink-noise'), [{ value: 100, intact: true }])]
    ])
    const target = targets([10]).find(t => t.goal.startsWith('Uplink: secio + yamux'))!
    expect(evaluate(byId, target)).to.include({ pass: true })
    byId.set('uplink-noise', summarize(row('uplink-noise'), [{ value: 101, intact: true }]))
    expect(evaluate(byId, target)).to.include({ pass: false })
    byId.delete('uplink-noise')
    expect(evaluate(byId, target)).to.include({ pass: undefined, measured: 'not measured' })
  })

  it('draws one bar per measured row and escapes labels', () => {
    const svg = barChart('t', 'MB/s', [summarize(row('a', 'a <b> & c'), [{ value: 1, intact: true }]), summarize(row('b'), [], 'skipped')])
    expect(svg.match(/<rect x=/g)).to.have.length(1)
    expect(svg).to.include('a &lt;b&gt; &amp; c')
  })
})
