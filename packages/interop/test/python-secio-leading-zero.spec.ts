// The zero-stripped ECDH secret, against real Python. py-libp2p keys a SECIO session with
// `x.to_bytes(int_bytelen(x))` of the ECDH X coordinate, which drops its leading zero bytes, as Go
// does; Node, WebCrypto, Rust and the legacy JS keep the field width. py-libp2p only does P-256, where
// about 1 secret in 256 starts with 0x00, so each direction runs at least 2,000 handshakes (and on,
// up to 6,000, until zero-led secrets have run in both SECIO orders). Each handshake is checked twice:
// the Python peer reports the width it keyed with (it wraps py-libp2p's ECDH step), and Uplink's own
// full-width secret for the same handshake (ecdh-witness.ts) says whether that width is right.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { installEcdhWitness } from './fixtures/ecdh-witness.js'
import { setUpPythonPeer, startPythonPeer } from './fixtures/python-peer.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import { describeTally, matchWitness, runRounds, tallyRounds } from './fixtures/zero-led-rounds.js'
import type { EcdhWitness } from './fixtures/ecdh-witness.js'
import type { ZeroLedRound, ZeroLedTally } from './fixtures/zero-led-rounds.js'
import type { Listener, PrivateKey } from '@libp2p/interface'

const ECHO_BYTES = 512
const ROUNDS = { min: 2000, max: 6000, batch: 8 }

function errorText (err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

/** Zero-led secrets, stripped by Python, in both orders: both of Uplink's paths ran. */
function bothOrdersStripped (rounds: ZeroLedRound[]): boolean {
  const t = tallyRounds(rounds, true)
  return t.zeroLedByPeerOrder[1] > 0 && t.zeroLedByPeerOrder['-1'] > 0
}

function expectEveryHandshakeRight (t: ZeroLedTally): void {
  expect(t.failures, `${t.failures.length} of ${t.handshakes} handshakes failed`).to.deep.equal([])
  expect(t.disagreements).to.deep.equal([])
  expect(t.handshakes).to.be.at.least(ROUNDS.min)
  // Python strips every zero-led secret, and so both of Uplink's ways through one ran
  expect(t.stripped).to.equal(t.zeroLed)
  expect(t.zeroLedByPeerOrder[1], 'zero-led with Python winning the order').to.be.at.least(1)
  expect(t.zeroLedByPeerOrder['-1'], 'zero-led with Uplink winning the order').to.be.at.least(1)
}

describe('SECIO secrets with leading zero bytes against real Python (py-libp2p 0.8.1 strips them, P-256)', function () {
  this.timeout(600_000)
  let privateKey: PrivateKey
  let listener: Listener | undefined
  let witness: EcdhWitness | undefined

  before(async function () {
    await setUpPythonPeer(this)
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

  it('Uplink dials Python ≥ 2,000 times: every handshake succeeds, and Python strips exactly the zero-led secrets', async () => {
    const python = await startPythonPeer({ mode: 'bare-secio-listen' })
    const expected = peerIdFromString(python.peerId)
    const errors = new Map<number, string>()

    const dials = await runRounds({ ...ROUNDS, enough: () => bothOrdersStripped(python.inbound().map(r => matchWitness(witness as EcdhWitness, r))) }, async (i) => {
      try {
        const secured = await bareSecioDial(privateKey, python.addr, false, expected)
        const echoed = await digestEcho(secured.connection, ECHO_BYTES, ECHO_BYTES, { signal: AbortSignal.timeout(10_000) })
        if (!echoed.intact) errors.set(i, `dial ${i}: echo not intact`)
      } catch (err) {
        errors.set(i, `dial ${i}: ${errorText(err)}`)
      }
    })

    await python.waitForEvent(() => python.inbound().length >= dials.length, { timeoutMs: 20_000 })
    const rounds = python.inbound().map(r => matchWitness(witness as EcdhWitness, r))
    const t = tallyRounds(rounds, true)
    t.failures.push(...errors.values())
    console.log(`      ${describeTally('Uplink dials Python (P-256)', t)}`)

    expectEveryHandshakeRight(t)
    expect(rounds).to.have.lengthOf(dials.length)
    expect(await python.secretStats()).to.deep.equal({ handshakes: dials.length, leadingZero: t.zeroLed, stripped: t.stripped })
  })

  it('Python dials Uplink ≥ 2,000 times: every handshake succeeds, and Python strips exactly the zero-led secrets', async () => {
    const bare = await bareSecioEchoListener(privateKey, false)
    listener = bare.listener
    const python = await startPythonPeer({ mode: 'bare-secio-dial' })
    const addr = `${bare.addr}/p2p/${peerIdFromPrivateKey(privateKey).toString()}`

    const rounds = await runRounds<ZeroLedRound>({ ...ROUNDS, enough: bothOrdersStripped }, async (i) => {
      try {
        return matchWitness(witness as EcdhWitness, await python.tryDialEcho(addr, ECHO_BYTES, { timeoutMs: 20_000 }))
      } catch (err) {
        return { peer: { ok: false }, uplink: undefined, error: `dial ${i}: ${errorText(err)}` }
      }
    })
    const t = tallyRounds(rounds, true)
    console.log(`      ${describeTally('Python dials Uplink (P-256)', t)}`)

    expectEveryHandshakeRight(t)
    expect(await python.secretStats()).to.deep.equal({ handshakes: rounds.length, leadingZero: t.zeroLed, stripped: t.stripped })
  })
})
