// The cross-implementation matrix: every pair among the legacy JS SECIO, go-libp2p-secio, py-libp2p,
// rust libp2p-secio and Uplink, each as listener and as dialer (each foreign peer against itself too, as
// a control, and Uplink against Uplink), bare SECIO on TCP, HANDSHAKES handshakes per cell, each with a
// short echo checked by digest. The run writes the table to docs/secio-matrix.md.
//
// Go and Python key a session with the ECDH secret minus its leading zero bytes; legacy JS and Rust key
// it at the field width; Uplink keys as its peer does. So between a stripping and a full-width peer every
// handshake whose secret begins with 0x00 fails, and no other: this test asserts that for every foreign
// pair where a side sees the secrets, and 0 failures in every cell with Uplink.
//
// Curves (cellCurve in fixtures/matrix-peers.ts): P-521 where both sides run it (legacy JS, Go, Uplink),
// where half of all secrets begin with 0x00, P-256 otherwise (1 in 256). HANDSHAKES = 512 makes about
// 256 failures expected in legacy JS ⇄ Go and 2 in each of the 6 P-256 cells between a stripping and a
// full-width peer (Python with legacy JS and Rust, Go with Rust; none at all in a given one: e^-2 ≈ 14 %),
// and keeps the 25 cells (12,800 handshakes, about 100 a second on a busy 2-core machine, each costing
// CPU in one to three processes) within about 2-3 minutes: 1,024 would take 4-5.
import { writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect } from 'chai'
import { installEcdhWitness } from './fixtures/ecdh-witness.js'
import { interopDir } from './fixtures/go-build.js'
import { runCell } from './fixtures/matrix-cell.js'
import { CURVE_RULE, IDENTITY_RULE, MATRIX_PEERS, cellCurve, cellIdentity } from './fixtures/matrix-peers.js'
import { cellKey, renderMatrix } from './fixtures/matrix-report.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import type { EcdhWitness } from './fixtures/ecdh-witness.js'
import type { CellOutcome } from './fixtures/matrix-cell.js'
import type { Curve, Identity, MatrixDialer, MatrixListener, MatrixPeer, PeerName } from './fixtures/matrix-peers.js'

const HANDSHAKES = 512
const CONCURRENCY = 16
const ECHO_BYTES = 64

const repoRoot = join(interopDir(), '..', '..')
const MATRIX_DOC = join(repoRoot, 'docs', 'secio-matrix.md')

/** How this test was started, as a reader would type it. */
function command (): string {
  const event = process.env.npm_lifecycle_event
  if (event === 'test' || event === 'verify') return '`npm test`'
  return `\`mocha ${process.argv.slice(2).map(arg => arg.startsWith('/') ? relative(repoRoot, arg) : arg).join(' ')}\``
}

function describeCell (listener: MatrixPeer, dialer: MatrixPeer, cell: CellOutcome): string {
  const z = cell.zeroLed.count != null ? `${cell.zeroLed.count} zero-led` : `zero-led not seen (≥ ${cell.zeroLed.atLeast ?? 0})`
  const stripped = Object.entries(cell.stripped).map(([side, n]) => `${side} stripped ${n}`).join(', ')
  return `${listener.label} ← ${dialer.label} (${cell.curve}, ${cell.identity}): ${cell.handshakes} handshakes, ${cell.failed} failed, ${z}` +
    `${stripped === '' ? '' : `, ${stripped}`} (${(cell.ms / 1000).toFixed(1)} s)`
}

function expectation (listener: MatrixPeer, dialer: MatrixPeer): string {
  if (listener.name === 'uplink' || dialer.name === 'uplink') return 'every handshake succeeds'
  if (listener.strips === dialer.strips) return 'every handshake succeeds (both key with the same width)'
  if (listener.seesSecret === 'all' || dialer.seesSecret === 'all') return 'exactly the zero-led secrets fail'
  return 'failures recorded (neither side sees a failed handshake\'s secret)'
}

describe(`SECIO cross-implementation matrix: legacy JS, Go, Python, Rust and Uplink, every pair both ways, ${HANDSHAKES} bare handshakes each`, function () {
  this.timeout(120_000)
  const listeners = new Map<string, MatrixListener>()
  const dialers = new Map<string, MatrixDialer>()
  const versions: Partial<Record<PeerName, string>> = {}
  const cells = new Map<string, CellOutcome>()
  let witness: EcdhWitness | undefined
  let started = 0

  before(async function () {
    for (const peer of MATRIX_PEERS) await peer.setUp(this)
    witness = installEcdhWitness()
    started = Date.now()
  })

  after(async function () {
    const ms = Date.now() - started
    witness?.uninstall()
    await Promise.all([...listeners.values(), ...dialers.values()].map(async peer => { await peer.close() }))
    await SecioPeer.stopAll()
    const expected = MATRIX_PEERS.length ** 2
    if (cells.size !== expected) {
      console.log(`      ${relative(repoRoot, MATRIX_DOC)} not written: ${cells.size} of ${expected} cells ran`)
      return
    }
    writeFileSync(MATRIX_DOC, renderMatrix({
      peers: MATRIX_PEERS, versions, cells, handshakes: HANDSHAKES, curveRule: CURVE_RULE, identityRule: IDENTITY_RULE, concurrency: CONCURRENCY, echoBytes: ECHO_BYTES,
      command: command(), date: new Date(), ms
    }))
    console.log(`      wrote ${relative(repoRoot, MATRIX_DOC)}`)
  })

  async function listenerFor (peer: MatrixPeer, curve: Curve, identity: Identity): Promise<MatrixListener> {
    const key = `${peer.name}:${curve}:${identity}`
    let listener = listeners.get(key)
    if (listener == null) {
      listener = await peer.listen(curve, identity)
      listeners.set(key, listener)
      versions[peer.name] ??= listener.version
    }
    return listener
  }

  async function dialerFor (peer: MatrixPeer, curve: Curve, identity: Identity): Promise<MatrixDialer> {
    const key = `${peer.name}:${curve}:${identity}`
    let dialer = dialers.get(key)
    if (dialer == null) {
      dialer = await peer.dialer(curve, identity)
      dialers.set(key, dialer)
      versions[peer.name] ??= dialer.version
    }
    return dialer
  }

  for (const [row, listener] of MATRIX_PEERS.entries()) {
    for (const [column, dialer] of MATRIX_PEERS.entries()) {
      const curve = cellCurve(listener, dialer)
      const identity = cellIdentity(listener, dialer)
      it(`${dialer.label} dials ${listener.label} ${HANDSHAKES} times on ${curve}: ${expectation(listener, dialer)}`, async () => {
        const cell = await runCell({
          listener, dialer, curve, identity, handshakes: HANDSHAKES, concurrency: CONCURRENCY, echoBytes: ECHO_BYTES, seed: 1 + row * MATRIX_PEERS.length + column
        }, await listenerFor(listener, curve, identity), await dialerFor(dialer, curve, identity), witness as EcdhWitness)
        cells.set(cellKey(listener.name, dialer.name), cell)
        console.log(`      ${describeCell(listener, dialer, cell)}`)

        const failures = JSON.stringify(cell.errors)
        expect(cell.problems, 'the two sides and the digests agree').to.deep.equal([])
        if (listener.name === 'uplink' || dialer.name === 'uplink' || listener.strips === dialer.strips) {
          expect(cell.failed, `failures: ${failures}`).to.equal(0)
        } else if (cell.zeroLed.count != null) {
          // every failure is a zero-led secret and every zero-led secret a failure (checked one by one
          // on the side that sees them: cell.problems)
          expect(cell.failed, `failures: ${failures}`).to.equal(cell.zeroLed.count)
        }
      })
    }
  }
})
