/**
 * A hostile SECIO peer for fuzzing: it runs the honest handshake step by step
 * (fixtures/hostile-peer.ts's FakePeer), but one of its three messages goes on
 * the wire mutated, and every message is written in arbitrary pieces. A step
 * that waits on a peer who has stopped talking is given up after a short
 * while (a breaker, not a measurement), and the fake then closes its end, so
 * every case ends without anyone's timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { applyMutation, split } from '@uplink/fuzz'
import { createExchange } from '../../src/handshake/exchange.js'
import { prefix } from '../fixtures/hostile-peer.js'
import type { FakePeer } from '../fixtures/hostile-peer.js'
import type { Mutation } from '@uplink/fuzz'

export const PHASES = ['propose', 'exchange', 'nonce'] as const
export type Phase = typeof PHASES[number]

export interface Damage {
  phase: Phase
  mutation?: Mutation
  splits: number[]
}

/** Gives up a step after this long: the peer is waiting for bytes that will not come. */
const STEP_BREAKER_MS = 250

/** Frames each handshake message sent by `fake`, as it goes on the wire: what a damage is applied to. */
export async function runDamagedHandshake (fake: FakePeer, damage: Damage): Promise<void> {
  const send = async (phase: Phase, framed: Uint8Array): Promise<Uint8Array> => {
    const bytes = phase === damage.phase && damage.mutation != null ? applyMutation(framed, damage.mutation) : framed
    for (const piece of split(bytes, damage.splits)) await fake.writeRaw(piece)
    return bytes
  }

  const steps: Array<() => Promise<unknown>> = [
    async () => {
      const sent = await send('propose', Buffer.concat([prefix(fake.local.bytes.byteLength), fake.local.bytes]))
      // what the reader takes for our Propose is what we sign (if the damage left the length alone)
      fake.local = { ...fake.local, bytes: sent.slice(4) }
    },
    async () => fake.readPropose(),
    async () => {
      if (fake.remote == null || fake.suite == null) throw new Error('no Propose read')
      fake.ephemeral = await fake.createEphemeral(fake.suite.exchange)
      const exchange = await createExchange(fake.privateKey, fake.local, fake.remote, fake.ephemeral.key)
      await send('exchange', Buffer.concat([prefix(exchange.byteLength), exchange]))
    },
    async () => fake.readExchange(),
    async () => send('nonce', fake.nonceFrame().subarray()),
    async () => fake.readNonceFrame()
  ]

  try {
    for (const step of steps) {
      const done = await Promise.race([step().then(() => true), sleep(STEP_BREAKER_MS, false)])
      if (!done) break
    }
  } catch {
    // the peer under test refused us: what it says about it is the outcome
  } finally {
    await fake.raw.close().catch(() => { fake.raw.abort(new Error('fake peer done')) })
  }
}
