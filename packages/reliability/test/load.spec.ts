// A short load from separate processes (the full one, 200 connections × 10,000 messages:
// `node .runtime/run.mjs pnpm reliability load`).
import { expect } from 'chai'
import { DEFAULT_UPGRADE_TIMEOUT } from '@uplink/core'
import { TIMELINE_STAGES } from '../src/handshake-timeline.js'
import { runLoad } from '../src/load.js'

const SHORT = { processes: 2, connectionsPerProcess: 5, streams: 4, messagesPerConnection: 200, maxMessage: 128 }

describe('load from separate processes (short run)', function () {
  this.timeout(120_000)

  for (const muxer of ['yamux', 'mplex'] as const) {
    it(`${muxer}: ${SHORT.processes * SHORT.connectionsPerProcess} connections dialed at once from ${SHORT.processes} processes, every message echoed and verified by hash`, async () => {
      const report = await runLoad(SHORT, muxer)
      expect(report.connected).to.equal(report.connections)
      expect(report.outcomes).to.deep.equal({ intact: report.connections })
      expect(report.messagesSent).to.equal(report.connections * SHORT.messagesPerConnection)
      expect(report.bytesLost).to.equal(0)
      expect(report.bytesVerified).to.equal(report.bytesSent)
    })
  }

  it(`yamux, each connection exchanging as soon as it is up while the others still dial, under the default upgrade deadline: every message verified, every stage of every inbound upgrade on record`, async () => {
    const report = await runLoad({ ...SHORT, exchange: 'while-dialing' }, 'yamux')
    expect(report.upgradeTimeout).to.equal(DEFAULT_UPGRADE_TIMEOUT)
    expect(report.outcomes).to.deep.equal({ intact: report.connections })
    expect(report.bytesLost).to.equal(0)
    expect(report.handshakes.upgrades).to.equal(report.connections)
    expect(report.handshakes.failures).to.deep.equal({})
    for (const stage of TIMELINE_STAGES) expect(report.handshakes.stages[stage]?.reached, stage).to.equal(report.connections)
    expect(report.handshakes.accepted?.max).to.be.a('number')
    expect(report.cpu.listener).to.be.above(0)
    expect(report.cpu.dialers).to.be.above(0)
    if (process.platform === 'linux') expect(report.sched?.listener.running).to.be.above(0)
  })
})
