// Peers SIGKILLed in the middle of a handshake and in the middle of a transfer, in a process of their
// own, on either side of the connection. The survivor must see a named error caused by the death (not by
// a timer: every timeout here is far longer than the time measured), and a surviving listener must go
// on serving the next honest dial.
import { performance } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { within } from '@uplink/fuzz/hang-guard'
import { startChild } from './child.js'
import { dial, startListener, upgraderFor } from './endpoints.js'
import { errorOutcome, label } from './outcome.js'
import { transfer } from './transfer.js'
import type { MuxerName } from './endpoints.js'
import type { Outcome } from './outcome.js'

export type KillScenario = 'dialer killed mid-handshake' | 'dialer killed mid-transfer' | 'listener killed mid-handshake' | 'listener killed mid-transfer'
export const KILL_SCENARIOS: KillScenario[] = ['dialer killed mid-handshake', 'dialer killed mid-transfer', 'listener killed mid-handshake', 'listener killed mid-transfer']

const HANG_GUARD = 20_000
/** a transfer long enough to be killed in the middle of */
const LONG = { streams: 3, messages: 2_000, maxMessage: 16_384 }
const KILL_AFTER_BYTES = 256 * 1024

export interface KillResult {
  scenario: KillScenario
  muxer: MuxerName
  /** what the survivor's application saw */
  outcome: Outcome
  /** ms from SIGKILL to the survivor's error event */
  msToError: number
  /** a surviving listener served the next honest dial, every byte intact (undefined when the listener died) */
  servedNext?: boolean
}

export async function runKill (scenario: KillScenario, muxer: MuxerName): Promise<KillResult> {
  return scenario.startsWith('dialer') ? killDialer(scenario, muxer) : killListener(scenario, muxer)
}

async function killDialer (scenario: KillScenario, muxer: MuxerName): Promise<KillResult> {
  const midHandshake = scenario.endsWith('mid-handshake')
  let killedAt = 0
  let firstError: { at: number, err: Error } | undefined
  let child: ReturnType<typeof startChild> | undefined
  const killNow = (): void => {
    if (killedAt !== 0) return
    child?.kill()
    killedAt = performance.now()
  }
  const listener = await startListener({
    muxer,
    onProgress: (evt) => { if (midHandshake && evt.type === 'upgrader:crypto-negotiated') killNow() },
    onEcho: (total) => { if (!midHandshake && total >= KILL_AFTER_BYTES) killNow() },
    onStreamError: (err) => { firstError ??= { at: performance.now(), err } }
  })

  try {
    child = startChild(['dial', muxer, listener.addr.toString(), '1', String(LONG.streams), String(LONG.messages), String(LONG.maxMessage)])
    await child.next('ready')
    child.go()
    if (!midHandshake) {
      await child.next('connected')
      child.go()
    }
    await within(HANG_GUARD, child.exited, 'the child to die')
    let outcome: Outcome

    if (midHandshake) {
      const first = listener.inbound[0]
      if (first == null) throw new Error('the child never connected')
      const inbound = await within(HANG_GUARD, first, 'the inbound upgrade to fail')
      firstError = { at: performance.now(), err: inbound.error as Error }
      outcome = inbound.error == null ? { kind: 'intact' } : errorOutcome(inbound.error)
    } else {
      await within(HANG_GUARD, waitFor(() => firstError != null), 'an echo stream to fail')
      outcome = errorOutcome(firstError?.err)
    }

    return { scenario, muxer, outcome, msToError: (firstError?.at ?? killedAt) - killedAt, servedNext: await servesNext(listener.addr, muxer) }
  } finally {
    child?.process.kill('SIGKILL')
    await listener.close()
  }
}

async function killListener (scenario: KillScenario, muxer: MuxerName): Promise<KillResult> {
  const midHandshake = scenario.endsWith('mid-handshake')
  const child = startChild(['listen', muxer])
  let killedAt = 0
  const killNow = (): void => {
    if (killedAt !== 0) return
    child.kill()
    killedAt = performance.now()
  }

  try {
    const { addr } = await child.next('listening')
    const upgrader = upgraderFor(await generateKeyPair('Ed25519'), { muxer })
    const signal = AbortSignal.timeout(HANG_GUARD)
    let outcome: Outcome
    try {
      const connection = await dial(upgrader, multiaddr(addr), {
        signal,
        onProgress: (evt) => { if (midHandshake && evt.type === 'upgrader:crypto-negotiated') killNow() }
      })
      const result = await within(HANG_GUARD, transfer(connection, LONG, signal, {
        onReceived: (total) => { if (!midHandshake && total >= KILL_AFTER_BYTES) killNow() }
      }), 'the transfer to fail')
      outcome = result.outcome
      connection.abort(new Error('kill case over'))
    } catch (err) {
      outcome = errorOutcome(err)
    }
    return { scenario, muxer, outcome, msToError: performance.now() - killedAt }
  } finally {
    child.process.kill('SIGKILL')
    await child.exited
  }
}

/** An honest dial to `addr` from this process, with a short transfer: true when every byte came back. */
async function servesNext (addr: ReturnType<typeof multiaddr>, muxer: MuxerName): Promise<boolean> {
  const signal = AbortSignal.timeout(HANG_GUARD)
  const connection = await dial(upgraderFor(await generateKeyPair('Ed25519'), { muxer }), addr, { signal })
  const result = await transfer(connection, { streams: 2, messages: 200, maxMessage: 512 }, signal)
  await connection.close()
  return result.outcome.kind === 'intact'
}

async function waitFor (check: () => boolean): Promise<void> {
  while (!check()) await new Promise(resolve => setTimeout(resolve, 2))
}

export function describeKill (result: KillResult): string {
  return `${result.scenario} (${result.muxer}): ${label(result.outcome)} after ${result.msToError.toFixed(1)} ms`
}
