// Peers SIGKILLed in a child process (the full run repeats each case: `node .runtime/run.mjs pnpm reliability kill`).
import { expect } from 'chai'
import { KILL_SCENARIOS, runKill } from '../src/kill.js'
import type { MuxerName } from '../src/endpoints.js'
import type { KillScenario } from '../src/kill.js'

const CASES: Array<[KillScenario, MuxerName]> = [
  ...KILL_SCENARIOS.map(scenario => [scenario, 'yamux'] as [KillScenario, MuxerName]),
  ['listener killed mid-transfer', 'mplex']
]

describe('peers killed with SIGKILL', function () {
  this.timeout(60_000)

  for (const [scenario, muxer] of CASES) {
    it(`${scenario} (${muxer}): the survivor gets a named error caused by the death, not by a timer${scenario.startsWith('dialer') ? ', and the listener serves the next dial' : ''}`, async () => {
      const result = await runKill(scenario, muxer)
      expect(result.outcome.kind, JSON.stringify(result.outcome)).to.equal('named-error')
      if (result.outcome.kind !== 'named-error') return
      // every deadline in play is 10 s or more: an error caused by a timer would say TimeoutError
      expect(result.outcome.causes).to.not.include('TimeoutError')
      expect(result.outcome.causes.some(name => ['StreamResetError', 'UnexpectedEOFError', 'ConnectionClosedError'].includes(name)), result.outcome.causes.join(' ← ')).to.equal(true)
      if (scenario.endsWith('mid-handshake')) expect(result.outcome.stage).to.equal('handshake')
      if (scenario.startsWith('dialer')) expect(result.servedNext).to.equal(true)
    })
  }
})
