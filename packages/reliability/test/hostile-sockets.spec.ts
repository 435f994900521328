// Hostile SECIO peers over real sockets, short deadlines (the documented run uses the defaults and
// 10,000 failed handshakes: `node .runtime/run.mjs pnpm reliability hostile`).
import { expect } from 'chai'
import { failedHandshakes } from '../src/exhaustion.js'
import { HOSTILE_LENGTHS, PHASES, PHASE_STAGE, QUICK_SLOWLORIS, hostileLength, impostorDialer, impostorListener, slowloris, wrongPeerAtAddress } from '../src/hostile.js'

describe('hostile peers over real sockets', function () {
  this.timeout(60_000)

  it(`slowloris in every phase (${PHASES.join(', ')}): closed at the upgrade deadline with a TimeoutError for that stage`, async () => {
    const cases = await Promise.all(PHASES.map(async phase => slowloris(phase, QUICK_SLOWLORIS)))
    for (const c of cases) {
      expect(c.causes, c.phase).to.include('TimeoutError')
      expect(c.stage, c.phase).to.equal(PHASE_STAGE[c.phase ?? 'Propose'])
    }
  })

  for (const phase of PHASES) {
    it(`lengths ${HOSTILE_LENGTHS.map(l => `0x${l.toString(16).toUpperCase()}`).join(' and ')} at the start of ${phase}: refused from the prefix, not at a deadline`, async () => {
      for (const length of HOSTILE_LENGTHS) {
        const c = await hostileLength(phase, length)
        expect(c.stage).to.equal(PHASE_STAGE[phase])
        expect(c.causes).to.not.include('TimeoutError')
        if (phase !== 'negotiate-crypto') expect(c.causes).to.include('InvalidFrameLengthError')
        expect(c.held, c.causes.join(' ← ')).to.equal(true)
      }
    })
  }

  it('a dialer presenting another peer\'s public key is refused with BadSignatureError', async () => {
    const c = await impostorDialer()
    expect(c.causes).to.include('BadSignatureError')
  })

  it('a listener presenting the dialed peer\'s public key without its private key is refused with BadSignatureError', async () => {
    const c = await impostorListener()
    expect(c.causes).to.include('BadSignatureError')
  })

  it('another honest peer at the dialed address is refused with UnexpectedPeerError', async () => {
    const c = await wrongPeerAtAddress()
    expect(c.causes[0]).to.equal('UnexpectedPeerError')
  })

  it('300 failed handshakes: nothing pinned at once after the last, no timer waited for (no accepted socket or upgrade error still reachable after a forced GC; no pending upgrade, descriptor or timer; heap within 6 MiB of its baseline)', async () => {
    const report = await failedHandshakes(300)
    expect(report.errors).to.deep.equal({ InvalidProposeError: 300 })
    expect(report.retained).to.deep.equal({ sockets: 0, errors: 0 })
    expect(report.pendingAfter).to.equal(0)
    expect(report.fds.after).to.be.at.most(report.fds.baseline)
    expect(report.resources.after, JSON.stringify(report.resources.kinds)).to.be.at.most(report.resources.baseline)
    expect(report.heap.growth).to.be.below(6 * 1024 * 1024)
  })
})
