// Flipped bits across a recorded handshake, over TCP (the full run flips every byte:
// `node .runtime/run.mjs pnpm reliability flips`).
import { expect } from 'chai'
import { EXPECTED_STAGE, runByteFlips } from '../src/byte-flips.js'
import type { FlipReport } from '../src/byte-flips.js'

describe('each byte of a recorded handshake flipped (every 11th byte, short run)', function () {
  this.timeout(120_000)
  let report: FlipReport

  before(async () => { report = await runByteFlips('yamux', 11, 8) })

  it('covers every unit of the handshake in both directions', () => {
    for (const direction of ['toListener', 'toDialer'] as const) {
      expect(report.layout[direction].map(s => s.region)).to.deep.equal(['multistream-select', 'Propose', 'Exchange', 'nonce frame', 'first data frame'])
    }
    expect(report.flips).to.be.greaterThan(60)
  })

  it('every flip fails the upgrade with a named error at the stage its byte belongs to', () => {
    expect(report.misplaced.map(m => `${m.direction} ${m.region} byte ${m.offset}: dialer ${m.dialerStage} ${m.dialerCauses.join('<')}, listener ${m.listenerStage} ${m.listenerCauses.join('<')}`)).to.deep.equal([])
    for (const r of report.results.filter(r => !r.connected)) {
      expect([r.dialerStage, r.listenerStage], `${r.direction} byte ${r.offset}`).to.include(EXPECTED_STAGE[r.region])
    }
  })

  it('a flip that still connects carried its data intact (only the Exchange\'s unsigned protobuf framing can do that)', () => {
    for (const r of report.connected) {
      expect(r.wrong).to.equal(false)
      expect(r.region).to.equal('Exchange')
    }
  })
})
