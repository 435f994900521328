// The parts of a full reliability run, at full size, each saying whether it held.
import { runByteFlips } from './byte-flips.js'
import { MUXERS } from './endpoints.js'
import { FULL_MATRIX, describeFault, runMatrix } from './fault-matrix.js'
import { KILL_SCENARIOS, runKill } from './kill.js'
import { FULL_LOAD, runLoad } from './load.js'
import { failedHandshakes, halfOpenFlood } from './exhaustion.js'
import { HOSTILE_SPECS, runSpec } from './existing-specs.js'
import { FULL_SLOWLORIS, HOSTILE_LENGTHS, PHASES, hostileLength, impostorDialer, impostorListener, slowloris, wrongPeerAtAddress } from './hostile.js'
import { FULL_SOAK, runSoak } from './soak.js'
import type { KillResult } from './kill.js'
import type { HostileCase } from './hostile.js'

export type Part = () => Promise<{ figures: unknown, ok: boolean }>

/** kills per scenario and muxer in a full run */
const KILL_ROUNDS = 5
/** a killed peer must be noticed by the survivor this fast (the figure the docs promise; not a timer) */
export const KILL_NOTICE_MS = 1_000
/** heap growth at once after 10,000 failed handshakes that still counts as "back to baseline" (under 400 bytes each) */
export const FAILED_HANDSHAKES_HEAP_SLACK = 4 * 1024 * 1024

export const PARTS: Record<string, Part> = {
  async faults () {
    const report = await runMatrix(FULL_MATRIX)
    return {
      ok: report.unacceptable.length === 0 && report.bytesLost === 0,
      figures: {
        cases: report.cases,
        muxers: MUXERS,
        shape: FULL_MATRIX.shape,
        offsets: FULL_MATRIX.offsets,
        frames: FULL_MATRIX.frames,
        byFault: report.byFault,
        intactAfterFault: report.intactAfterFault,
        bytesSent: report.bytesSent,
        bytesLost: report.bytesLost,
        unacceptable: report.unacceptable.map(r => ({ fault: describeFault(r.fault), muxer: r.muxer, outcome: r.outcome })),
        beyondSecio: report.beyondSecio.map(r => ({ fault: describeFault(r.fault), muxer: r.muxer, outcome: r.outcome }))
      }
    }
  },

  async flips () {
    const reports = []
    for (const muxer of MUXERS) reports.push({ muxer, ...await runByteFlips(muxer, 1, 8) })
    return {
      ok: reports.every(r => r.misplaced.length === 0 && r.connected.every(c => !c.wrong)),
      figures: reports.map(r => ({
        muxer: r.muxer,
        flips: r.flips,
        layout: r.layout,
        tallies: r.tallies,
        misplaced: r.misplaced.map(m => ({ direction: m.direction, region: m.region, offset: m.offset, dialer: m.dialerCauses, listener: m.listenerCauses })),
        connected: r.connected.map(c => ({ direction: c.direction, region: c.region, offset: c.offset, intact: !c.wrong }))
      }))
    }
  },

  async kill () {
    const results: KillResult[] = []
    for (const muxer of MUXERS) {
      for (const scenario of KILL_SCENARIOS) {
        for (let round = 0; round < KILL_ROUNDS; round++) results.push(await runKill(scenario, muxer))
      }
    }
    return {
      ok: results.every(r => r.outcome.kind === 'named-error' && r.msToError <= KILL_NOTICE_MS && r.servedNext !== false),
      figures: results
    }
  },

  async load () {
    // yamux only at full size: the full run takes many minutes; mplex carries the same load in the test suite's short run
    const reports = [await runLoad(FULL_LOAD, 'yamux')]
    return {
      ok: reports.every(r => r.bytesLost === 0 && r.connected === r.connections && Object.keys(r.outcomes).every(o => o === 'intact')),
      figures: reports
    }
  },

  async soak () {
    const report = await runSoak(FULL_SOAK, 'yamux')
    return { ok: report.leaks.length === 0 && report.bytesLost === 0 && Object.keys(report.outcomes).every(o => o === 'intact'), figures: report }
  },

  async hostile () {
    // the slowloris cases wait for the default 10 s deadline: all phases at once
    const cases: HostileCase[] = await Promise.all(PHASES.map(async phase => slowloris(phase, FULL_SLOWLORIS)))
    for (const phase of PHASES) {
      for (const length of HOSTILE_LENGTHS) cases.push(await hostileLength(phase, length))
    }
    cases.push(await impostorDialer(), await impostorListener(), await wrongPeerAtAddress())
    const failed = await failedHandshakes(10_000)
    const flood = await halfOpenFlood(1_000)
    return {
      ok: cases.every(c => c.held) &&
        failed.pendingAfter === 0 && failed.fds.after <= failed.fds.baseline && failed.resources.after <= failed.resources.baseline && failed.heap.growth < FAILED_HANDSHAKES_HEAP_SLACK &&
        failed.retained.sockets === 0 && failed.retained.errors === 0 &&
        flood.honestServed && flood.pendingUpgrades <= 8 && flood.fdsAfter <= flood.baselineFds,
      figures: { slowloris: FULL_SLOWLORIS, cases, failed, flood, heapSlack: FAILED_HANDSHAKES_HEAP_SLACK }
    }
  },

  async specs () {
    const figures = HOSTILE_SPECS.map(runSpec)
    return { ok: figures.every(f => f.failures === 0), figures }
  }
}
