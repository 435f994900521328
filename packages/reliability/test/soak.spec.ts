// A short soak (the documented one runs minutes: `node .runtime/run.mjs pnpm reliability soak`).
import { expect } from 'chai'
import { QUICK_SOAK, runSoak } from '../src/soak.js'

describe('connection churn (short soak)', function () {
  this.timeout(120_000)

  it('connections opened, used and closed for a few seconds leave file descriptors, timers and the heap where they started', async () => {
    const report = await runSoak(QUICK_SOAK, 'mplex')
    expect(report.connections).to.be.greaterThan(QUICK_SOAK.concurrency)
    expect(Object.keys(report.outcomes)).to.deep.equal(['intact'])
    expect(report.bytesLost).to.equal(0)
    expect(report.leaks).to.deep.equal([])
  })
})
