// The checks of one matrix cell (fixtures/matrix-cell.ts), against scripted sides: what each side says
// about each handshake must add up, or the cell reports the problem (secio-matrix.spec.ts asserts none).
import { expect } from 'chai'
import { installEcdhWitness } from './fixtures/ecdh-witness.js'
import { runCell } from './fixtures/matrix-cell.js'
import { GO, LEGACY, RUST } from './fixtures/matrix-peers.js'
import { sha256Hex, xorshift32Pattern } from './fixtures/patterns.js'
import type { EcdhWitness } from './fixtures/ecdh-witness.js'
import type { CellPlan } from './fixtures/matrix-cell.js'
import type { MatrixDialer, MatrixListener, MatrixPeer, SideRecord } from './fixtures/matrix-peers.js'

const ECHO_BYTES = 64
const SEED = 3
const DIGEST = sha256Hex(xorshift32Pattern(SEED, ECHO_BYTES))

/** One scripted handshake: what the dialer and the listener report. */
interface Script { dialer: SideRecord, listener: SideRecord }

const ok = (zeroLed?: boolean): SideRecord => ({ ok: true, sha256: DIGEST, ...(zeroLed != null ? { zeroLed } : {}) })
const macError = (zeroLed?: boolean): SideRecord => ({ ok: false, error: 'ErrMACInvalid: MAC invalid', ...(zeroLed != null ? { zeroLed } : {}) })

/** A listener and a dialer that play `scripts` in order: each dial adds the listener's record. */
function scripted (scripts: Script[]): { listener: MatrixListener, dialer: MatrixDialer } {
  const records: SideRecord[] = []
  let next = 0
  return {
    listener: { addr: '/ip4/127.0.0.1/tcp/1/p2p/x', records: () => records, version: 'scripted', close: async () => {} },
    dialer: {
      dial: async () => {
        const script = scripts[next++] as Script
        records.push(script.listener)
        return script.dialer
      },
      version: 'scripted',
      close: async () => {}
    }
  }
}

function plan (listener: MatrixPeer, dialer: MatrixPeer, handshakes: number): CellPlan {
  return { listener, dialer, curve: 'P-521', identity: 'ed25519', handshakes, concurrency: 1, echoBytes: ECHO_BYTES, seed: SEED }
}

describe('the SECIO matrix cell: what both sides report must add up', () => {
  let witness: EcdhWitness

  beforeEach(() => { witness = installEcdhWitness() })
  afterEach(() => { witness.uninstall() })

  it('legacy JS ← Go failing exactly on the zero-led secrets: no problem, and the count comes from the legacy side', async () => {
    const { listener, dialer } = scripted([
      { dialer: ok(false), listener: ok(false) },
      { dialer: macError(), listener: macError(true) },
      { dialer: ok(false), listener: ok(false) }
    ])
    const cell = await runCell(plan(LEGACY, GO, 3), listener, dialer, witness)
    expect(cell).to.include({ succeeded: 2, failed: 1, widthsDiffer: true })
    expect(cell.zeroLed).to.deep.equal({ count: 1, seenBy: ['legacy JS'] })
    expect(cell.errors).to.deep.equal({ dialer: { ErrMACInvalid: 1 }, listener: { ErrMACInvalid: 1 } })
    expect(cell.problems).to.deep.equal([])
  })

  it('a failure on a secret without a leading zero, or a zero-led secret that got through, is a problem', async () => {
    const { listener, dialer } = scripted([
      { dialer: macError(), listener: macError(false) },
      { dialer: ok(), listener: ok(true) }
    ])
    const cell = await runCell(plan(LEGACY, GO, 2), listener, dialer, witness)
    expect(cell.problems).to.have.lengthOf(1)
    expect(cell.problems[0]).to.match(/^2 listener records ended against their secret/)
  })

  it('both sides keying alike (legacy JS ← Rust): any failure on a known secret is a problem', async () => {
    const { listener, dialer } = scripted([{ dialer: macError(), listener: macError(true) }])
    const cell = await runCell(plan(LEGACY, RUST, 1), listener, dialer, witness)
    expect(cell.widthsDiffer).to.equal(false)
    expect(cell.problems).to.deep.equal(['1 listener records ended against their secret (e.g. zero-led true, ok false)'])
  })

  it('a wrong echo digest fails the handshake, and the sides then disagree', async () => {
    const { listener, dialer } = scripted([{ dialer: { ok: true, sha256: '00' }, listener: ok(false) }])
    const cell = await runCell(plan(LEGACY, RUST, 1), listener, dialer, witness)
    expect(cell.failed).to.equal(1)
    expect(cell.errors.dialer).to.deep.equal({ EchoDigestError: 1 })
    expect(cell.problems).to.include('the dialer saw 1 failures, the listener 0')
  })

  it('Go ← Rust failing where neither sees the secret: recorded, zero-led unknown', async () => {
    const { listener, dialer } = scripted([
      { dialer: { ok: false, error: 'SecioError(HmacNotMatching): …' }, listener: macError() },
      { dialer: ok(), listener: ok(false) }
    ])
    const cell = await runCell(plan(GO, RUST, 2), listener, dialer, witness)
    expect(cell.failed).to.equal(1)
    expect(cell.zeroLed).to.deep.equal({ atLeast: 0, seenBy: ['Go'] })
    expect(cell.problems).to.deep.equal([])
  })

  it('a listener that reports fewer sessions than were dialed is a problem', async () => {
    const { listener, dialer } = scripted([{ dialer: ok(false), listener: ok(false) }])
    const silent = { ...listener, records: () => [] }
    const cell = await runCell({ ...plan(LEGACY, GO, 1), recordsTimeoutMs: 100 }, silent, dialer, witness)
    expect(cell.problems).to.include('the listener reported 0 of 1 sessions')
  })
})
