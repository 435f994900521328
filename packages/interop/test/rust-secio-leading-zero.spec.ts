// Zero-led ECDH secrets against real Rust. libp2p-secio keys with ring's fixed-width secret (the whole
// X coordinate, leading zeros kept), like Node and the legacy JS, and never shows it; Uplink's own
// full-width secret for the same handshake (ecdh-witness.ts, matched through the ephemeral key the
// Rust peer reports) tells which handshakes had one. About 1 in 256 do on P-256 (the curve both sides
// prefer), so each direction runs at least 1,000 handshakes and on until some were zero-led: Uplink
// must then pick the full width from the MAC of Rust's nonce frame, every time.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { installEcdhWitness } from './fixtures/ecdh-witness.js'
import { setUpRustPeer, startRustPeer } from './fixtures/rust-peer.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import { describeTally, matchWitness, runRounds, tallyRounds } from './fixtures/zero-led-rounds.js'
import type { EcdhWitness } from './fixtures/ecdh-witness.js'
import type { ZeroLedRound, ZeroLedTally } from './fixtures/zero-led-rounds.js'
import type { Listener, PrivateKey } from '@libp2p/interface'

const ECHO_BYTES = 512
const ZERO_LED_WANTED = 2
const ROUNDS = { min: 1000, max: 5000, batch: 8 }

function errorText (err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

function zeroLed (rounds: ZeroLedRound[]): number {
  return tallyRounds(rounds, false).zeroLed
}

function expectEveryHandshakeRight (t: ZeroLedTally): void {
  expect(t.failures, `${t.failures.length} of ${t.handshakes} handshakes failed`).to.deep.equal([])
  // Rust reports secretStripped false and width 32 for every one, zero-led or not
  expect(t.disagreements).to.deep.equal([])
  expect(t.handshakes).to.be.at.least(ROUNDS.min)
  expect(t.zeroLed).to.be.at.least(ZERO_LED_WANTED)
  expect(t.stripped).to.equal(0)
}

describe('SECIO secrets with leading zero bytes against real Rust (libp2p-secio 0.26.0 keeps the full width, P-256)', function () {
  this.timeout(600_000)
  let privateKey: PrivateKey
  let listener: Listener | undefined
  let witness: EcdhWitness | undefined

  before(async function () {
    await setUpRustPeer(this)
    privateKey = await generateKeyPair('Ed25519')
  })

  beforeEach(() => {
    witness = installEcdhWitness()
  })

  afterEach(async () => {
    witness?.uninstall()
    await listener?.close()
    listener = undefined
    await SecioPeer.stopAll()
  })

  it('Uplink dials Rust ≥ 1,000 times: every handshake succeeds, zero-led secrets included', async () => {
    const rust = await startRustPeer({ mode: 'bare-secio-listen' })
    const expected = peerIdFromString(rust.peerId)
    const errors: string[] = []
    const rounds = (): ZeroLedRound[] => rust.inbound().map(r => matchWitness(witness as EcdhWitness, r))

    const dials = await runRounds({ ...ROUNDS, enough: () => zeroLed(rounds()) >= ZERO_LED_WANTED }, async (i) => {
      try {
        const secured = await bareSecioDial(privateKey, rust.addr, false, expected)
        const echoed = await digestEcho(secured.connection, ECHO_BYTES, ECHO_BYTES, { signal: AbortSignal.timeout(10_000) })
        if (!echoed.intact) errors.push(`dial ${i}: echo not intact`)
      } catch (err) {
        errors.push(`dial ${i}: ${errorText(err)}`)
      }
    })

    await rust.waitForEvent(() => rust.inbound().length >= dials.length, { timeoutMs: 20_000 })
    const t = tallyRounds(rounds(), false)
    t.failures.push(...errors)
    console.log(`      ${describeTally('Uplink dials Rust (P-256)', t)}`)

    expectEveryHandshakeRight(t)
    expect(await rust.secretStats()).to.deep.equal({ handshakes: dials.length, leadingZero: null, stripped: 0 })
  })

  it('Rust dials Uplink ≥ 1,000 times: every handshake succeeds, zero-led secrets included', async () => {
    const bare = await bareSecioEchoListener(privateKey, false)
    listener = bare.listener
    const rust = await startRustPeer({ mode: 'bare-secio-dial' })
    const addr = `${bare.addr}/p2p/${peerIdFromPrivateKey(privateKey).toString()}`

    const rounds = await runRounds<ZeroLedRound>({ ...ROUNDS, enough: done => zeroLed(done) >= ZERO_LED_WANTED }, async (i) => {
      try {
        return matchWitness(witness as EcdhWitness, await rust.tryDialEcho(addr, ECHO_BYTES, { timeoutMs: 20_000 }))
      } catch (err) {
        return { peer: { ok: false }, uplink: undefined, error: `dial ${i}: ${errorText(err)}` }
      }
    })
    const t = tallyRounds(rounds, false)
    console.log(`      ${describeTally('Rust dials Uplink (P-256)', t)}`)

    expectEveryHandshakeRight(t)
    expect(await rust.secretStats()).to.deep.equal({ handshakes: rounds.length, leadingZero: null, stripped: 0 })
  })
})
