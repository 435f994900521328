// A short load from separate processes (the full one, 200 connections × 10,000 messages:
// `node .runtime/run.mjs pnpm reliability load`).
import { expect } from 'chai'
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
})
