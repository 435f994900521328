// The short run of the fault matrix (the full one: `node .runtime/run.mjs pnpm reliability faults`):
// every transfer through a faulty proxy ends intact or with a named error, and each SECIO-frame fault is
// caught by the error the docs promise for it.
import { expect } from 'chai'
import { QUICK_MATRIX, describeFault, runMatrix } from '../src/fault-matrix.js'
import type { MatrixReport } from '../src/fault-matrix.js'

describe('injected network faults (short run)', function () {
  this.timeout(180_000)
  let report: MatrixReport

  before(async () => { report = await runMatrix(QUICK_MATRIX) })

  it('every transfer is either intact or fails with a named error at the application: none short, corrupt, hung or unnamed', () => {
    expect(report.unacceptable.map(r => `${describeFault(r.fault)} (${r.muxer}): ${JSON.stringify(r.outcome)}`)).to.deep.equal([])
    expect(report.bytesLost).to.equal(0)
  })

  it('without a fault, and with latency or one-byte fragments, every byte arrives intact', () => {
    const benign = report.results.filter(r => ['none', 'latency', 'fragment'].includes(r.fault.kind))
    expect(benign).to.have.length.greaterThan(0)
    expect(benign.filter(r => r.outcome.kind !== 'intact').map(r => describeFault(r.fault))).to.deep.equal([])
  })

  it('stalls, resets, flipped bits and half-closes inside the transfer all fail it (none passes as intact)', () => {
    const harmful = report.results.filter(r => ['stall', 'reset', 'corrupt', 'half-close'].includes(r.fault.kind) && r.fired)
    expect(harmful).to.have.length.greaterThan(0)
    expect(harmful.filter(r => r.outcome.kind === 'intact').map(r => describeFault(r.fault))).to.deep.equal([])
  })

  it('a tampered data frame is a MacMismatchError and a replayed one a ReplayedFrameError, at the side that received it', () => {
    for (const [kind, name] of [['frame-tamper', 'MacMismatchError'], ['frame-replay', 'ReplayedFrameError']] as const) {
      const cases = report.results.filter(r => r.fault.kind === kind)
      expect(cases).to.have.length.greaterThan(0)
      for (const r of cases) {
        const receiver = r.fault.kind !== 'none' && 'direction' in r.fault && r.fault.direction === 'toListener'
          ? r.listenerCauses
          : (r.outcome.kind === 'named-error' ? r.outcome.causes : [])
        expect(receiver, `${describeFault(r.fault)} (${r.muxer})`).to.include(name)
      }
    }
  })
})
