// SECIO secrets that start with a zero byte, live. go-libp2p-secio keys the session with
// big.Int.Bytes() of the ECDH X coordinate, which drops leading zero bytes; everyone else keeps the
// full field width. There is no Go here, so the legacy JS SECIO (libp2p-secio 0.13.1) is started
// with --strip-secret-zeros, which makes it key exactly like Go. On P-521 the 66-byte X starts with
// 0x00 about every other handshake, so a few dozen handshakes cover both widths and both orders.
import { mplex } from '@libp2p/mplex'
import { peerIdFromString } from '@libp2p/peer-id'
import { secio } from '@uplink/secio'
import { expect } from 'chai'
import { installEcdhWitness } from './fixtures/ecdh-witness.js'
import { LegacyPeer } from './fixtures/legacy-peer.js'
import { uplinkNode } from './fixtures/nodes.js'
import { ECHO, echoHandler, echoRoundTrip } from './fixtures/streams.js'
import { installTimerWitness } from './fixtures/timer-witness.js'
import type { DialEchoResult, LegacyEvent } from './fixtures/legacy-peer.js'
import type { Node } from '@uplink/core'

const CURVE = 'P-521'
const ECHO_BYTES = 16 * 1024
/** Handshakes per direction at least; more (up to MAX_ROUNDS) until every case below has been seen. */
const MIN_ROUNDS = 16
const MAX_ROUNDS = 64
/** Unlike any other delay in the stack, so the timer witness counts this wait alone. */
const LEADING_ZERO_WAIT = 137

/** One handshake as the legacy side saw it, and how it ended. */
interface Round {
  round: number
  /** The full-width secret started with 0x00. */
  leadingZero: boolean
  /** The legacy side keyed with the zero-stripped secret (as Go would). */
  stripped: boolean
  /** The legacy side's SECIO order; Uplink's is the opposite. */
  legacyOrder: number | undefined
  ms: number
  error?: string
}

function describeRound (r: Round): string {
  return `round ${r.round}: leadingZero=${String(r.leadingZero)} stripped=${String(r.stripped)} legacyOrder=${String(r.legacyOrder)} ` +
    `(Uplink order ${r.legacyOrder == null ? '?' : String(-r.legacyOrder)}) ${r.ms} ms${r.error != null ? ` -> ${r.error}` : ''}`
}

/** One line: the legacy side's errors can carry whole stacks (libp2p's AggregateError). */
function errorText (err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return text.split('\n').map(line => line.trim()).filter(line => line !== '' && !line.startsWith('at ')).join(' ')
}

function roundFromSecret (round: number, secret: LegacyEvent | DialEchoResult, ms: number, error?: string): Round {
  const record = secret as Record<string, unknown>
  return {
    round,
    leadingZero: typeof record.secretLeadingZeros === 'number' && record.secretLeadingZeros > 0,
    stripped: record.secretStripped === true,
    legacyOrder: typeof record.order === 'number' ? record.order : undefined,
    ms,
    ...(error != null ? { error } : {})
  }
}

/** Both orders seen with a zero-led secret (stripped by the legacy side when `stripping`). */
function covered (rounds: Round[], stripping: boolean): boolean {
  const hits = rounds.filter(r => r.leadingZero && r.stripped === stripping)
  return hits.some(r => r.legacyOrder === 1) && hits.some(r => r.legacyOrder === -1)
}

async function runRounds (stripping: boolean, once: (round: number) => Promise<Round>): Promise<Round[]> {
  const rounds: Round[] = []
  for (let round = 1; round <= MAX_ROUNDS && (round <= MIN_ROUNDS || !covered(rounds, stripping)); round++) {
    rounds.push(await once(round))
  }
  return rounds
}

const verbose = process.env.UPLINK_LEGACY_VERBOSE != null && process.env.UPLINK_LEGACY_VERBOSE !== ''

/** With UPLINK_LEGACY_VERBOSE set: what the rounds covered. */
function summarize (label: string, rounds: Round[]): void {
  if (!verbose) return
  const count = (f: (r: Round) => boolean): number => rounds.filter(f).length
  console.log(`      ${label}: ${rounds.length} handshakes, ${count(r => r.leadingZero)} zero-led ` +
    `(${count(r => r.stripped)} stripped; legacy order 1: ${count(r => r.leadingZero && r.legacyOrder === 1)}, ` +
    `-1: ${count(r => r.leadingZero && r.legacyOrder === -1)}), ${count(r => r.error != null)} failed, ` +
    `slowest ${Math.max(...rounds.map(r => r.ms))} ms`)
}

async function waitUntil (condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

function expectAllSucceeded (rounds: Round[], stripping: boolean): void {
  const failed = rounds.filter(r => r.error != null)
  expect(failed.map(describeRound), `${failed.length} of ${rounds.length} handshakes failed`).to.deep.equal([])
  expect(rounds.length).to.be.at.least(MIN_ROUNDS)
  // Otherwise nothing was proven: the interesting path never ran.
  expect(covered(rounds, stripping), `zero-led secrets${stripping ? ' stripped by the legacy side' : ''} in both orders:\n` +
    rounds.map(describeRound).join('\n')).to.equal(true)
  const leadingZero = rounds.filter(r => r.leadingZero)
  expect(leadingZero.every(r => r.stripped === stripping)).to.equal(true)
  expect(rounds.filter(r => !r.leadingZero).every(r => !r.stripped)).to.equal(true)
}

describe(`SECIO secrets with a leading zero byte (${CURVE}) against the legacy JS SECIO keyed like go-libp2p`, function () {
  this.timeout(60_000)
  const nodes: Node[] = []

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async node => node.stop()))
    await LegacyPeer.stopAll()
  })

  async function startUplink (init: Parameters<typeof secio>[0] = { exchanges: [CURVE] }): Promise<Node> {
    const node = await uplinkNode({ connection: { crypto: [secio(init)], muxer: [mplex()] } })
    nodes.push(node)
    node.handle(ECHO, echoHandler)
    return node
  }

  async function startLegacy (stripSecretZeros: boolean): Promise<LegacyPeer> {
    const legacy = await LegacyPeer.start({ crypto: 'secio', keyType: 'ed25519', exchanges: CURVE, stripSecretZeros })
    expect(legacy.events[0]).to.include({ event: 'ready', stripSecretZeros, exchanges: CURVE })
    return legacy
  }

  /** Uplink dials the legacy node: one new connection (one handshake), an echo, a hang-up. */
  async function uplinkDials (uplink: Node, legacy: LegacyPeer, round: number): Promise<Round> {
    const started = performance.now()
    const legacyPeer = peerIdFromString(legacy.peerId)
    let error: string | undefined
    try {
      const stream = await uplink.dialProtocol(legacy.addrs[0] ?? '', ECHO, { signal: AbortSignal.timeout(10_000) })
      const echoed = await echoRoundTrip(stream, ECHO_BYTES, { signal: AbortSignal.timeout(10_000) })
      if (!echoed.intact) error = `echo not intact: ${JSON.stringify(echoed)}`
      const encryption = uplink.getConnections(legacyPeer)[0]?.encryption
      if (encryption !== '/secio/1.0.0') error = `encryption ${String(encryption)}`
    } catch (err) {
      error = errorText(err)
    } finally {
      await uplink.hangUp(legacyPeer).catch(() => {})
    }
    const ms = Math.round(performance.now() - started)
    // The legacy side reports every handshake it reached the ECDH step of, numbered from 1.
    const secret = await legacy.waitForEvent(e => e.event === 'secret' && e.handshake === round, { timeoutMs: 5_000 })
    expect(secret).to.include({ secretCurve: CURVE })
    return roundFromSecret(round, secret, ms, error)
  }

  /** The legacy node dials Uplink: one new connection, a verified echo, a hang-up. */
  async function legacyDials (uplink: Node, legacy: LegacyPeer, round: number): Promise<Round> {
    const started = performance.now()
    const addr = uplink.getMultiaddrs()[0]?.toString() ?? ''
    let result: DialEchoResult
    try {
      result = await legacy.tryDialEcho(addr, ECHO_BYTES, { timeoutMs: 10_000 })
    } catch (err) {
      result = { ok: false, error: errorText(err) }
    }
    await legacy.hangUp(uplink.peerId.toString()).catch(() => {})
    const ms = Math.round(performance.now() - started)
    if (result.ok) expect(result).to.include({ bytes: ECHO_BYTES, remotePeer: uplink.peerId.toString(), secretCurve: CURVE })
    return roundFromSecret(round, result, ms, result.ok ? undefined : errorText(result.error ?? 'failed'))
  }

  for (const stripping of [true, false]) {
    const peerKind = stripping ? 'a zero-stripping (Go-like) legacy peer' : 'a full-width legacy peer (control)'

    it(`Uplink dials ${peerKind}: every handshake succeeds`, async () => {
      const [uplink, legacy] = await Promise.all([startUplink(), startLegacy(stripping)])

      const rounds = await runRounds(stripping, async round => uplinkDials(uplink, legacy, round))
      summarize('Uplink dials', rounds)

      expectAllSucceeded(rounds, stripping)
      const stats = await legacy.secretStats()
      expect(stats.handshakes).to.equal(rounds.length)
      expect(stats.stripped).to.equal(stripping ? stats.leadingZero : 0)
    })

    it(`${peerKind} dials Uplink: every handshake succeeds`, async () => {
      const [uplink, legacy] = await Promise.all([startUplink(), startLegacy(stripping)])

      const rounds = await runRounds(stripping, async round => legacyDials(uplink, legacy, round))
      summarize('legacy dials', rounds)

      expectAllSucceeded(rounds, stripping)
      const stats = await legacy.secretStats()
      expect(stats.handshakes).to.equal(rounds.length)
      expect(stats.stripped).to.equal(stripping ? stats.leadingZero : 0)
    })
  }

  it('control: a zero-stripping legacy dialer fails against a full-width legacy listener exactly when the secret starts with 0x00 (the Go ⇄ JS bug)', async () => {
    const [listener, dialer] = await Promise.all([
      LegacyPeer.start({ mode: 'bare-secio-listen', exchanges: CURVE }),
      LegacyPeer.start({ mode: 'bare-secio-dial', exchanges: CURVE, stripSecretZeros: true })
    ])
    const results: DialEchoResult[] = []
    // At least 8; then on until one failure has been seen (each round fails with p ≈ 1/2).
    while (results.length < 40 && (results.length < 8 || results.every(r => r.ok))) {
      results.push(await dialer.tryDialEcho(listener.addrs[0] ?? '', 1024, { timeoutMs: 10_000 }))
    }

    const failures = results.filter(r => !r.ok)
    if (verbose) console.log(`      legacy ⇄ legacy: ${results.length} handshakes, ${results.filter(r => r.secretStripped === true).length} stripped, ${failures.length} failed`)
    expect(failures.length).to.be.at.least(1)
    for (const result of results) {
      expect(result.secretCurve).to.equal(CURVE)
      // Stripped keys never match the full-width ones; unstripped always do.
      expect(result.ok).to.equal(result.secretStripped !== true, JSON.stringify(result))
    }
    for (const failure of failures) {
      expect(failure.error).to.match(/ERR_INVALID_CRYPTO_TRANSMISSION.*MAC Invalid/)
    }
    // The full-width side sees the same MAC failures on its end (reported a moment later).
    const failedInbound = (): LegacyEvent[] => listener.events.filter(e => e.event === 'inbound' && e.ok === false)
    await waitUntil(() => failedInbound().length >= failures.length)
    const inbound = failedInbound()
    expect(inbound).to.have.lengthOf(failures.length)
    for (const event of inbound) {
      expect(event).to.include({ secretStripped: false, secretCurve: CURVE })
      expect(event.secretLeadingZeros).to.be.at.least(1)
      expect(event.error).to.match(/MAC Invalid/)
    }
  })

  it(`Uplink ⇄ Uplink over ${CURVE}: every handshake succeeds, and on the zero-led ones nobody waits (each sees the other's full-width mark)`, async () => {
    const init = { exchanges: [CURVE] as Array<typeof CURVE>, leadingZeroWait: LEADING_ZERO_WAIT }
    const [a, b] = await Promise.all([startUplink(init), startUplink(init)])
    const failures: string[] = []
    // Both sides run in this process: each handshake computes its (one) secret twice.
    const ecdh = installEcdhWitness()
    // Without the mark, the side that lost the order would wait LEADING_ZERO_WAIT for the other's nonce
    // frame when the secret starts with 0x00 (and the winner without a limit) before falling back to
    // full width. With it, both key in full width at once: no timer of that delay is ever set.
    const waits = installTimerWitness(LEADING_ZERO_WAIT)
    const zeroLedHandshakes = (): number => ecdh.secrets.filter(s => s.leadingZeros > 0).length / 2

    try {
      for (let round = 1; round <= MAX_ROUNDS && (round <= MIN_ROUNDS || zeroLedHandshakes() === 0); round++) {
        try {
          const stream = await a.dialProtocol(b.getMultiaddrs(), ECHO, { signal: AbortSignal.timeout(10_000) })
          const echoed = await echoRoundTrip(stream, ECHO_BYTES, { signal: AbortSignal.timeout(10_000) })
          if (!echoed.intact) failures.push(`round ${round}: echo not intact`)
        } catch (err) {
          failures.push(`round ${round}: ${errorText(err)}`)
        } finally {
          await a.hangUp(b.peerId).catch(() => {})
        }
      }
    } finally {
      waits.uninstall()
      ecdh.uninstall()
    }

    const handshakes = ecdh.secrets.length / 2
    if (verbose) console.log(`      Uplink ⇄ Uplink: ${handshakes} handshakes, ${zeroLedHandshakes()} zero-led, ${waits.set} leading-zero waits set`)
    expect(failures).to.deep.equal([])
    expect(ecdh.secrets.every(s => s.curve === 'secp521r1' && s.width === 66)).to.equal(true)
    expect(zeroLedHandshakes(), `zero-led secrets in ${handshakes} handshakes`).to.be.at.least(1)
    // an Uplink without the mark (fixed nonces, or before it) sets one wait per zero-led handshake here
    expect({ set: waits.set, fired: waits.fired }).to.deep.equal({ set: 0, fired: 0 })
  })
})
