// Nothing pinned by the dead: a failed or finished upgrade leaves no deadline timer and no listener on
// the caller's signal behind (counted, not timed).
import { getEventListeners } from 'node:events'
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { createUpgrader } from '../src/index.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { until } from './fixtures/tamper-proxy.js'

function activeTimers (): number {
  return process.getActiveResourcesInfo().filter(name => name === 'Timeout').length
}

describe('upgrades leave nothing behind', () => {
  it('200 failed upgrades under one caller signal leave no listener on it and no timer', async () => {
    const [alice, bob, carol] = await Promise.all([identity(), identity(), identity()])
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const caller = new AbortController()
    const timersBefore = activeTimers()

    for (let i = 0; i < 200; i++) {
      // dialing carol, answered by bob: the upgrade fails at verify-peer
      const { outbound, inbound } = rawPair(carol.peerId)
      const results = await Promise.allSettled([
        dialer.upgradeOutbound(outbound, { signal: caller.signal }),
        listener.upgradeInbound(inbound, { signal: caller.signal })
      ])
      expect(results[0].status).to.equal('rejected')
    }

    expect(getEventListeners(caller.signal, 'abort')).to.have.length(0)
    // each upgrade armed a 10 s deadline: none may still be pending once the in-memory pair's own
    // 1 ms delivery timers have run out (a few unrelated timers may exist); 400 leaked deadlines
    // would outlast this wait by seconds
    await until(() => activeTimers() - timersBefore < 10, 'the timers to drop back to where they were', 200)
  })
})
