// Property-based fuzzing of the upgrader on live (in-memory) connections. Multistream-select as the
// upgrader uses it: a hostile peer sends a recorded negotiation of the crypto channel, damaged and in
// arbitrary pieces, to an Uplink listener or dialer. Then under live session keys: a hostile dialer
// completes an honest multistream-select and SECIO handshake, and writes a recorded muxer negotiation
// and yamux session into the channel, damaged, so the damage passes the MAC and reaches
// multistream-select and yamux. Each case ends within the hang guard with a named error or a
// connection that closes when the hostile peer leaves; nothing escapes as an unhandled rejection.
import { setTimeout as sleep } from 'node:timers/promises'
import { defaultLogger } from '@libp2p/logger'
import * as mss from '@libp2p/multistream-select'
import { secio } from '@uplink/secio'
import { applyMutation, describeOutcome, firstDifference, mutationOf, readSplits, runFuzzTarget, split, suiteTimeout } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { until } from './fixtures/tamper-proxy.js'
import { fuzzUpgrader, recordUpgrade } from './fuzz/recorded-upgrade.js'
import type { RecordedUpgrade } from './fuzz/recorded-upgrade.js'
import type { Identity } from './fixtures/raw-pair.js'
import type { MultiaddrConnection } from '@libp2p/interface'

/** A breaker, not a measurement: how long a hostile peer waits for an answer before it leaves. */
const LINGER_MS = 100

/** Watches an upgrader's inbound connections from the moment they open: each must close again, and says how. */
function openedConnections (upgrader: ReturnType<typeof fuzzUpgrader>): Array<Promise<string>> {
  const closed: Array<Promise<string>> = []
  upgrader.addEventListener('connection:open', (evt) => {
    closed.push(new Promise(resolve => {
      evt.detail.addEventListener('close', (event: any) => {
        resolve(event.error == null ? 'connected, then closed' : `connected, then ${describeOutcome(event.error)}`)
      }, { once: true })
    }))
  })
  return closed
}

describe('fuzz: the upgrader on live connections', function () {
  this.timeout(suiteTimeout(180_000))
  let uplink: Identity
  let hostile: Identity
  let recorded: RecordedUpgrade

  before(async () => {
    [uplink, hostile] = await Promise.all([identity(), identity()])
    recorded = await recordUpgrade(hostile, uplink)
    expect(Buffer.from(recorded.dialerSelect).toString()).to.include('/secio/1.0.0\n')
    expect(recorded.securedPlaintext.byteLength).to.be.greaterThan(40)
  })

  it('multistream-select for the crypto channel, damaged and in pieces: a named error at negotiate-crypto or later, and the connection closed', async () => {
    const input = fc.constantFrom('listener' as const, 'dialer' as const).chain(role => {
      const original = role === 'listener' ? recorded.dialerSelect : recorded.listenerSelect
      const lengthBytes = [...original.keys()].filter(at => at === 0 || original[at - 1] === 0x0a)
      return fc.record({ role: fc.constant(role), mutation: fc.option(mutationOf(original.byteLength, { lengthBytes }), { freq: 10 }), splits: readSplits() })
    })

    await runFuzzTarget({
      name: 'upgrader/select-crypto-live',
      kind: 'live',
      inputs: 'a recorded multistream-select of /secio/1.0.0 (dialer\'s or listener\'s side) flipped, cut, extended, repeated, varint lengths edited, random; random pieces',
      runs: { test: 150, full: 1_500 },
      hangAfter: 25_000,
      arbitrary: input,
      check: async ({ role, mutation, splits }) => {
        const original = role === 'listener' ? recorded.dialerSelect : recorded.listenerSelect
        const bytes = mutation == null ? original : applyMutation(original, mutation)
        const upgrader = fuzzUpgrader(uplink)
        const { outbound, inbound } = rawPair(role === 'dialer' ? hostile.peerId : undefined)
        const [ours, theirs]: [MultiaddrConnection, MultiaddrConnection] = role === 'listener' ? [inbound, outbound] : [outbound, inbound]
        const signal = AbortSignal.timeout(12_000)
        const settled = Promise.allSettled([role === 'listener' ? upgrader.upgradeInbound(ours, { signal }) : upgrader.upgradeOutbound(ours, { signal })])

        for (const piece of split(bytes, splits)) theirs.send(piece)
        await Promise.race([settled, sleep(LINGER_MS)])
        await theirs.close().catch(() => {})
        const [result] = await settled

        // nothing but select bytes came, so no upgrade can finish: at best the SECIO handshake starts
        expect(result.status, 'an upgrade without a handshake cannot succeed').to.equal('rejected')
        const reason = (result as PromiseRejectedResult).reason
        const outcome = describeOutcome(reason)
        expect(['negotiate-crypto', 'handshake']).to.include(reason.stage)
        if (firstDifference(bytes, original) === -1) expect(reason.stage, 'an undamaged negotiation passes').to.equal('handshake')
        await until(() => ours.status !== 'open', 'the raw connection to close')
        return outcome
      }
    })
  })

  it('damage under live session keys reaches multistream-select and yamux: a named error or a connection that closes, and nothing escapes', async () => {
    const original = recorded.securedPlaintext
    const input = fc.record({ mutation: fc.option(mutationOf(original.byteLength), { freq: 10 }), splits: readSplits() })

    await runFuzzTarget({
      name: 'upgrader/secured-live',
      kind: 'live',
      inputs: 'a recorded muxer negotiation and yamux session, damaged as above, written through an honest SECIO channel (sealed with the real session keys) in random pieces',
      runs: { test: 100, full: 1_000 },
      hangAfter: 30_000,
      arbitrary: input,
      check: async ({ mutation, splits }) => {
        const bytes = mutation == null ? original : applyMutation(original, mutation)
        const upgrader = fuzzUpgrader(uplink)
        const opened = openedConnections(upgrader)
        const { outbound, inbound } = rawPair(uplink.peerId)
        const signal = AbortSignal.timeout(12_000)
        const upgrade = Promise.allSettled([upgrader.upgradeInbound(inbound, { signal })])

        // the hostile dialer: honest up to the session keys
        await mss.select(outbound, ['/secio/1.0.0'], { signal })
        const secured = await secio()({ privateKey: hostile.privateKey, logger: defaultLogger() }).secureOutbound(outbound, { signal, remotePeer: uplink.peerId })
        for (const piece of split(bytes, splits)) {
          if (secured.connection.status !== 'open') break
          secured.connection.send(piece)
        }
        await Promise.race([upgrade, sleep(LINGER_MS)])
        await sleep(LINGER_MS)
        await secured.connection.close().catch(() => { secured.connection.abort(new Error('hostile peer leaves')) })

        const [result] = await upgrade
        let outcome: string

        if (result.status === 'rejected') {
          outcome = describeOutcome(result.reason)
          expect(result.reason.stage, outcome).to.equal('negotiate-muxer')
        } else {
          const [closed] = opened
          if (closed == null) throw new Error('the upgrade finished but no connection:open was seen')
          outcome = await closed
        }

        await until(() => inbound.status !== 'open', 'the raw connection to close')
        if (firstDifference(bytes, original) === -1) expect(outcome, 'an undamaged session opens a connection').to.match(/^connected/)
        return outcome
      }
    })
  })
})
