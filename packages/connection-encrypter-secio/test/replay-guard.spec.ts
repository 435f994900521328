/**
 * The replay guard alone: its answers are compared with a plain model (an
 * array of the last `window` MACs) over long random runs full of repeats, so
 * the index, its backward-shift deletion and its growth (windows above and
 * below the initial room, and not powers of two) cannot drift from "the last N".
 * Then FrameOpener: a replay is refused before decryption, so the keystream
 * is not advanced by it.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { INITIAL_REPLAY_CAPACITY, MIN_GUARDED_CIPHERTEXT, ReplayGuard } from '../src/framing/replay-guard.js'

function modelAnswers (window: number, macs: Uint8Array[]): boolean[] {
  const recent: string[] = []
  return macs.map(mac => {
    const key = Buffer.from(mac.subarray(0, 8)).toString('hex')
    if (recent.includes(key)) return false
    recent.push(key)
    if (recent.length > window) recent.shift()
    return true
  })
}

/** Random MACs drawn from a small pool, so repeats at every distance happen often; some share their first word (one index home). */
function macStream (length: number, pool: number): Uint8Array[] {
  const macs = Array.from({ length: pool }, () => randomBytes(32))
  for (let i = 1; i < pool; i += 7) macs[i]?.set(macs[i - 1]?.subarray(0, 4) ?? [], 0)
  return Array.from({ length }, () => macs[Math.floor(Math.random() * pool)] ?? new Uint8Array(32))
}

describe('secio replay guard', () => {
  for (const window of [1, 2, 7, INITIAL_REPLAY_CAPACITY, INITIAL_REPLAY_CAPACITY + 1, 100, 128, 1000]) {
    it(`window ${window}: answers exactly like "is it among the last ${window} remembered MACs"`, () => {
      for (const pool of [window, 2 * window + 3, 10 * window]) {
        const macs = macStream(20_000, pool)
        const guard = new ReplayGuard(window)
        expect(macs.map(mac => guard.admit(mac)), `pool ${pool}`).to.deep.equal(modelAnswers(window, macs))
      }
    })
  }

  it('holds room for the frames it has seen, doubling up to the window, never past it', () => {
    for (const window of [7, 128, 1000]) {
      const guard = new ReplayGuard(window)
      const rooms = new Set<number>()

      for (let seen = 0; seen < 3 * window; seen++) {
        rooms.add(guard.room)
        expect(guard.room, `window ${window} after ${seen} frames`).to.be.at.most(Math.max(Math.min(window, INITIAL_REPLAY_CAPACITY), 2 * seen))
        expect(guard.admit(randomBytes(32))).to.equal(true)
      }

      expect(guard.room).to.equal(window)
      expect(Math.min(...rooms)).to.equal(Math.min(window, INITIAL_REPLAY_CAPACITY))
    }
  })

  it('refuses a window it cannot index', () => {
    for (const window of [0, -1, 1.5, 0x8000]) {
      expect(() => new ReplayGuard(window)).to.throw(RangeError)
    }
  })

  it('FrameOpener refuses a replay before decrypting: the next honest frame still opens correctly', () => {
    const keys = { iv: randomBytes(16), cipherKey: randomBytes(32), macKey: randomBytes(20) }
    const sealer = new FrameSealer('AES-256', 'SHA256', keys)
    const opener = new FrameOpener('AES-256', 'SHA256', keys)
    const first = sealer.seal(Buffer.from('first frame')).subarray(4)
    const second = sealer.seal(Buffer.from('second frame')).subarray(4)

    expect(Buffer.from(opener.open(first)).toString()).to.equal('first frame')
    expect(() => opener.open(first)).to.throw().with.property('name', 'ReplayedFrameError')
    expect(Buffer.from(opener.open(second)).toString()).to.equal('second frame')
  })

  it(`FrameOpener lets frames under ${MIN_GUARDED_CIPHERTEXT} bytes of ciphertext repeat (honest ones collide by chance)`, () => {
    const keys = { iv: randomBytes(16), cipherKey: randomBytes(32), macKey: randomBytes(20) }
    const opener = new FrameOpener('AES-256', 'SHA256', keys)
    const empty = new FrameSealer('AES-256', 'SHA256', keys).seal(new Uint8Array()).subarray(4)
    for (let i = 0; i < 3; i++) expect(opener.open(empty).byteLength).to.equal(0)
  })
})
