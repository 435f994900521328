// The zero-stripped ECDH secret, against real Go. go-libp2p-core keys a SECIO session with
// big.Int.Bytes() of the ECDH X coordinate, which drops its leading zero bytes; Node, WebCrypto
// and Rust key with the full field width. The Go peer reads the length of the secret it keyed
// each session with (from the finished session), so the count of stripped handshakes is Go's own,
// not inferred. Bare SECIO (no multistream-select), one Go process per direction and curve,
// handshakes run concurrently in small batches; every one must succeed.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { GoPeer, patternDigest, setUpGoPeer, toDialEchoResult } from './fixtures/go-peer.js'
import { LegacyPeer } from './fixtures/legacy-peer.js'
import type { GoCurve, GoDialEchoResult } from './fixtures/go-peer.js'
import type { Listener, PrivateKey } from '@libp2p/interface'

const ECHO_BYTES = 512
const BATCH = 16
const VOLUME: Array<{ curve: GoCurve, handshakes: number }> = [
  { curve: 'P-521', handshakes: 200 },
  { curve: 'P-256', handshakes: 2000 }
]

interface Tally {
  handshakes: number
  failures: string[]
  stripped: number
  /** Stripped handshakes by Go's order (1: Go's preferences won, so Uplink waited for Go's nonce frame). */
  strippedByGoOrder: Record<'1' | '-1', number>
}

function tally (results: GoDialEchoResult[], errors: string[]): Tally {
  const stripped = results.filter(r => r.secretStripped === true)
  return {
    handshakes: results.length + errors.length,
    failures: [...errors, ...results.filter(r => !r.ok).map(r => r.error ?? 'failed')],
    stripped: stripped.length,
    strippedByGoOrder: { 1: stripped.filter(r => r.order === 1).length, '-1': stripped.filter(r => r.order === -1).length }
  }
}

function report (label: string, t: Tally): void {
  console.log(`      ${label}: ${t.handshakes} handshakes, ${t.failures.length} failed, ${t.stripped} keyed by Go with a zero-stripped secret ` +
    `(Go order 1: ${t.strippedByGoOrder[1]}, -1: ${t.strippedByGoOrder['-1']})`)
}

/** Runs `count` jobs, `BATCH` at a time. */
async function inBatches <T> (count: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = []
  for (let start = 0; start < count; start += BATCH) {
    results.push(...await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, async (_, i) => job(start + i))))
  }
  return results
}

function errorText (err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

describe('SECIO secrets with leading zero bytes against real Go (go-libp2p-secio v0.2.3 strips them)', function () {
  this.timeout(300_000)
  let privateKey: PrivateKey
  let listener: Listener | undefined

  before(async function () {
    await setUpGoPeer(this)
    privateKey = await generateKeyPair('Ed25519')
  })

  afterEach(async () => {
    await listener?.close()
    listener = undefined
    await GoPeer.stopAll()
    await LegacyPeer.stopAll()
  })

  for (const { curve, handshakes } of VOLUME) {
    it(`Uplink dials Go ${handshakes} times on ${curve}: every handshake succeeds`, async () => {
      const go = await GoPeer.start({ mode: 'bare-secio-listen', exchanges: [curve] })
      const expected = peerIdFromString(go.peerId)
      const errors: string[] = []

      await inBatches(handshakes, async (i) => {
        try {
          const secured = await bareSecioDial(privateKey, go.addrs[0] ?? '', false, expected, { exchanges: [curve] })
          const echoed = await digestEcho(secured.connection, ECHO_BYTES, ECHO_BYTES, { signal: AbortSignal.timeout(10_000) })
          if (!echoed.intact) errors.push(`dial ${i}: echo not intact`)
        } catch (err) {
          errors.push(`dial ${i}: ${errorText(err)}`)
        }
      })

      const isInbound = (e: { event: string }): boolean => e.event === 'inbound'
      await go.waitForEvent(() => go.events.filter(isInbound).length >= handshakes, { timeoutMs: 20_000 })
      const results = go.events.filter(isInbound).map(toDialEchoResult)
      const t = tally(results, errors)
      report(`Uplink dials Go (${curve})`, t)

      expect(t.failures).to.deep.equal([])
      expect(results).to.have.lengthOf(handshakes)
      expect(results.every(r => r.secretCurve === curve && r.width != null)).to.equal(true)
      const stats = await go.secretStats()
      expect(stats).to.deep.equal({ handshakes, leadingZero: t.stripped, stripped: t.stripped, failed: 0 })
      if (curve === 'P-521') {
        // half of all P-521 secrets start with 0x00: both of Uplink's paths (it lost the order and
        // waited for Go's nonce frame, or it won and read it first) must have run
        expect(t.strippedByGoOrder[1]).to.be.at.least(1)
        expect(t.strippedByGoOrder['-1']).to.be.at.least(1)
      }
    })

    it(`Go dials Uplink ${handshakes} times on ${curve}: every handshake succeeds`, async () => {
      const bare = await bareSecioEchoListener(privateKey, false, { exchanges: [curve] })
      listener = bare.listener
      const go = await GoPeer.start({ mode: 'bare-secio-dial', exchanges: [curve] })
      const addr = `${bare.addr}/p2p/${peerIdFromPrivateKey(privateKey).toString()}`
      const errors: string[] = []

      const results = await inBatches(handshakes, async (i) => {
        try {
          return await go.tryDialEcho(addr, ECHO_BYTES, { timeoutMs: 20_000 })
        } catch (err) {
          errors.push(`dial ${i}: ${errorText(err)}`)
          return undefined
        }
      })
      const finished = results.filter((r): r is GoDialEchoResult => r != null)
      const t = tally(finished, errors)
      report(`Go dials Uplink (${curve})`, t)

      expect(t.failures).to.deep.equal([])
      expect(finished.every(r => r.sha256 === patternDigest(ECHO_BYTES) && r.secretCurve === curve)).to.equal(true)
      const stats = await go.secretStats()
      expect(stats).to.deep.equal({ handshakes, leadingZero: t.stripped, stripped: t.stripped, failed: 0 })
      if (curve === 'P-521') {
        expect(t.strippedByGoOrder[1]).to.be.at.least(1)
        expect(t.strippedByGoOrder['-1']).to.be.at.least(1)
      }
    })
  }

  it('control: the legacy JS SECIO (full width) fails against Go exactly on the handshakes whose secret starts with 0x00 (P-521)', async () => {
    const legacy = await LegacyPeer.start({ mode: 'bare-secio-listen', exchanges: 'P-521' })
    const go = await GoPeer.start({ mode: 'bare-secio-dial', exchanges: ['P-521'] })
    const results: GoDialEchoResult[] = []
    // at least 16; then on until a failure has been seen (each round fails with p ≈ 1/2)
    while (results.length < 64 && (results.length < 16 || results.every(r => r.ok))) {
      results.push(await go.tryDialEcho(legacy.addrs[0] ?? '', 1024, { timeoutMs: 10_000 }))
    }

    // The legacy side reports each handshake's full-width secret (`secret` events, numbered in
    // order; the dials ran one at a time): a leading zero there is a stripped secret in Go.
    const secrets = await Promise.all(results.map(async (_, i) => legacy.waitForEvent(e => e.event === 'secret' && e.handshake === i + 1, { timeoutMs: 10_000 })))
    expect(secrets.map(e => -Number(e.order)), 'orders are opposite').to.deep.equal(results.map(r => r.order))
    const legacyZeroLed = secrets.map(e => Number(e.secretLeadingZeros) > 0)
    const failed = results.map(r => !r.ok)
    console.log(`      legacy JS ⇄ Go (P-521): ${results.length} handshakes, ${failed.filter(Boolean).length} failed, ${legacyZeroLed.filter(Boolean).length} zero-led`)

    expect(failed.some(Boolean)).to.equal(true)
    expect(failed).to.deep.equal(legacyZeroLed)
    // Go finished exactly the others, all keyed with the full 66 bytes
    expect(results.filter(r => r.ok).every(r => r.width === 66 && r.secretStripped === false)).to.equal(true)
    expect(await go.secretStats()).to.include({ handshakes: failed.filter(f => !f).length, failed: failed.filter(Boolean).length, stripped: 0 })
  })
})
