// Property-based fuzzing of the upgrader on live (in-memory) connections. Multistream-select as the
// upgrader uses it: a hostile peer sends a recorded negotiation of the crypto channel, damaged and in
// arbitrary pieces, to an Uplink listener or dialer. Then under live session keys: a hostile dialer
// completes an honest multistream-select and SECIO handshake, and writes a recorded muxer negotiation
// and yamux or mplex session into the channel, damaged, so the damage passes the MAC and reaches
// multistream-select and the muxer. Each case ends within the hang guard with a named error or a
// connection that closes when the hostile peer leaves; nothing escapes as an unhandled rejection.
import { setTimeout as sleep } from 'node:timers/promises'
import { defaultLogger } from '@libp2p/logger'
import * as mss from '@libp2p/multistream-select'
import { secio } from '@uplink/secio'
import { applyMutation, describeOutcome, expectRefusal, firstDifference, leave, linger, liveCase, mutationOf, namedError, readSplits, runFuzzTarget, sendPieces, suiteTimeout } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { fuzzUpgrader, recordUpgrade } from './fuzz/recorded-upgrade.js'
import type { FuzzMuxer, RecordedUpgrade } from './fuzz/recorded-upgrade.js'
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
  const recorded: Partial<Record<FuzzMuxer, RecordedUpgrade>> = {}
  const recording = (muxer: FuzzMuxer): RecordedUpgrade => recorded[muxer] ?? expect.fail(`no recorded ${muxer} upgrade`)

  before(async () => {
    [uplink, hostile] = await Promise.all([identity(), identity()])
    for (const muxer of ['yamux', 'mplex'] as const) {
      // mplex's session opens three streams, so that one repeat of its NEW_STREAM frames can pass mplex's limit of five a second
      const upgrade = recorded[muxer] = await recordUpgrade(hostile, uplink, muxer, muxer === 'mplex' ? 3 : 1)
      expect(Buffer.from(upgrade.dialerSelect).toString()).to.include('/secio/1.0.0\n')
      expect(Buffer.from(upgrade.securedPlaintext).toString()).to.include(`/${muxer}/`)
      expect(upgrade.securedPlaintext.byteLength).to.be.greaterThan(40)
    }
  })

  it('multistream-select for the crypto channel, damaged and in pieces: a named error at negotiate-crypto or later, and the connection closed', async () => {
    const { dialerSelect, listenerSelect } = recording('yamux')
    const input = fc.constantFrom('listener' as const, 'dialer' as const).chain(role => {
      const original = role === 'listener' ? dialerSelect : listenerSelect
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
        const original = role === 'listener' ? dialerSelect : listenerSelect
        const bytes = mutation == null ? original : applyMutation(original, mutation)
        const upgrader = fuzzUpgrader(uplink)
        const { outbound, inbound } = rawPair(role === 'dialer' ? hostile.peerId : undefined)
        const [ours, theirs]: [MultiaddrConnection, MultiaddrConnection] = role === 'listener' ? [inbound, outbound] : [outbound, inbound]
        const signal = AbortSignal.timeout(12_000)
        const running: Promise<unknown> = role === 'listener' ? upgrader.upgradeInbound(ours, { signal }) : upgrader.upgradeOutbound(ours, { signal })

        return liveCase({
          ours,
          running,
          hostile: async () => {
            sendPieces(theirs, bytes, splits)
            await linger(running, LINGER_MS)
            await leave(theirs)
          },
          // nothing but select bytes came, so no upgrade can finish: at best the SECIO handshake starts
          accepted: () => expect.fail('an upgrade without a handshake cannot succeed'),
          refused: (reason) => {
            const outcome = expectRefusal(reason, { stages: ['negotiate-crypto', 'handshake'] })
            if (firstDifference(bytes, original) === -1) expect(reason.stage, 'an undamaged negotiation passes').to.equal('handshake')
            return outcome
          }
        })
      }
    })
  })

  for (const [muxer, runs] of [['yamux', { test: 100, full: 1_000 }], ['mplex', { test: 60, full: 1_000 }]] as const) {
    it(`damage under live session keys reaches multistream-select and ${muxer}: a named error or a connection that closes, and nothing escapes`, async () => {
      const { securedPlaintext: original, muxerFrames: frames } = recording(muxer)
      const input = fc.record({ mutation: fc.option(mutationOf(original.byteLength, { frames }), { freq: 10 }), splits: readSplits() })

      await runFuzzTarget({
        name: muxer === 'yamux' ? 'upgrader/secured-live' : `upgrader/secured-live-${muxer}`,
        kind: 'live',
        inputs: `a recorded muxer negotiation and ${muxer} session, damaged as above (whole muxer frames and runs of them replayed too), written through an honest SECIO channel (sealed with the real session keys) in random pieces`,
        runs,
        hangAfter: 30_000,
        arbitrary: input,
        check: async ({ mutation, splits }) => {
          const bytes = mutation == null ? original : applyMutation(original, mutation)
          const streamEnds: Array<Promise<Error | undefined>> = []
          const upgrader = fuzzUpgrader(uplink, { muxer, streamEnds })
          const opened = openedConnections(upgrader)
          const { outbound, inbound } = rawPair(uplink.peerId)
          const signal = AbortSignal.timeout(12_000)
          const running = upgrader.upgradeInbound(inbound, { signal })

          return liveCase({
            ours: inbound,
            running,
            // the hostile dialer: honest up to the session keys
            hostile: async () => {
              await mss.select(outbound, ['/secio/1.0.0'], { signal })
              const secured = await secio()({ privateKey: hostile.privateKey, logger: defaultLogger() }).secureOutbound(outbound, { signal, remotePeer: uplink.peerId })
              sendPieces(secured.connection, bytes, splits)
              await linger(running, LINGER_MS)
              await sleep(LINGER_MS)
              await leave(secured.connection)
            },
            accepted: async () => {
              const [closed] = opened
              if (closed == null) throw new Error('the upgrade finished but no connection:open was seen')
              const outcome = await closed
              if (firstDifference(bytes, original) === -1) expect(outcome, 'an undamaged session opens a connection').to.match(/^connected/)
              // the streams the application was handed end cleanly or by name too
              for (const error of await Promise.all(streamEnds)) if (error != null) namedError(error)
              return outcome
            },
            refused: (reason) => {
              expect(firstDifference(bytes, original), 'an undamaged session opens a connection').to.not.equal(-1)
              return expectRefusal(reason, { stages: ['negotiate-muxer'] })
            },
            settleWithin: 20_000
          })
        }
      })
    })
  }
})
