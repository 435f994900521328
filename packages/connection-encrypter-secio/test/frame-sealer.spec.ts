/**
 * A frame built from many writes (`add`, then `finish`) is, byte for byte,
 * the frame of those writes joined: small writes are staged and encrypted
 * together, big ones on their own, and the AES-CTR keystream runs on across
 * both. Checked against a second sealer with the same keys that seals the
 * joined bytes in one call.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { toHex } from './fixtures/wire.js'

function twins (): { built: FrameSealer, joined: FrameSealer, opener: FrameOpener } {
  const keys = { iv: randomBytes(16), cipherKey: randomBytes(32), macKey: randomBytes(20) }
  return { built: new FrameSealer('AES-256', 'SHA256', keys), joined: new FrameSealer('AES-256', 'SHA256', keys), opener: new FrameOpener('AES-256', 'SHA256', keys) }
}

// around the staging buffer (2 KiB, writes up to 1 KiB staged) and the one-buffer frame limit (16 KiB)
const SIZES = [0, 1, 12, 64, 1023, 1024, 1025, 2047, 2048, 2049, 5000, 16 * 1024, 20_000]

describe('secio FrameSealer: a frame built from many writes', () => {
  it('equals the frame of the same bytes sealed at once, for writes of every size around the staging limits', () => {
    for (let round = 0; round < 20; round++) {
      const { built, joined, opener } = twins()
      const writes = Array.from({ length: 1 + (round % 7) * 9 }, () => randomBytes(SIZES[Math.floor(Math.random() * SIZES.length)] ?? 0))

      for (const write of writes) built.add(write)
      expect(built.pending).to.equal(writes.reduce((sum, w) => sum + w.byteLength, 0))
      const frame = built.finish().subarray()

      expect(toHex(frame), `writes of ${writes.map(w => w.byteLength).join(', ')}`).to.equal(toHex(joined.seal(Buffer.concat(writes)).subarray()))
      expect(Buffer.from(opener.open(frame.subarray(4))).equals(Buffer.concat(writes))).to.equal(true)
      expect(built.pending).to.equal(0)
    }
  })

  it('keeps the keystream running across frames: frame after frame equals the same frames sealed at once', () => {
    const { built, joined } = twins()

    for (let frame = 0; frame < 10; frame++) {
      const writes = Array.from({ length: 30 }, (_, i) => randomBytes(i % 3 === 0 ? 1500 : 20))
      for (const write of writes) built.add(new Uint8ArrayList(write.subarray(0, 5), write.subarray(5)))
      expect(toHex(built.finish().subarray())).to.equal(toHex(joined.seal(Buffer.concat(writes)).subarray()))
    }
  })

  it('does not keep the caller\'s buffers: changing them after add() changes nothing in the frame', () => {
    const { built, joined } = twins()
    const small = Buffer.from('a small write')
    const big = randomBytes(4000)
    const expected = joined.seal(Buffer.concat([small, big])).subarray()

    built.add(small)
    built.add(big)
    small.fill(0)
    big.fill(0)

    expect(toHex(built.finish().subarray())).to.equal(toHex(expected))
  })
})
