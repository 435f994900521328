/**
 * The receive path keeps a frame in the pieces it arrived in: the decoder
 * hands out views into the reads (no copy to put a frame in one buffer), and
 * the opener verifies and deciphers those pieces as they are, with the same
 * result, and the same refusals, as for the frame in one buffer.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_FRAME_LENGTH } from '../src/constants.js'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { FrameDecoder } from '../src/framing/frame-decoder.js'

const MAC = 32

function channel (): { sealer: FrameSealer, opener: () => FrameOpener } {
  const keys = { iv: randomBytes(16), cipherKey: randomBytes(32), macKey: randomBytes(20) }
  return { sealer: new FrameSealer('AES-256', 'SHA256', keys), opener: () => new FrameOpener('AES-256', 'SHA256', keys) }
}

/** `bytes` cut at `cuts` (sorted offsets) into a list of views. */
function cutAt (bytes: Uint8Array, cuts: number[]): Uint8ArrayList {
  const list = new Uint8ArrayList()
  let from = 0
  for (const at of [...cuts, bytes.byteLength]) {
    list.append(bytes.subarray(from, at))
    from = at
  }
  return list
}

describe('secio frames in pieces', () => {
  it('FrameDecoder hands out a frame split across reads as views into those reads, not a copy', () => {
    const { sealer } = channel()
    const wire = sealer.seal(randomBytes(100_000)).subarray()
    const reads = [wire.slice(0, 30_000), wire.slice(30_000, 70_000), wire.slice(70_000)]
    const decoder = new FrameDecoder({ min: MAC, max: DEFAULT_MAX_FRAME_LENGTH })

    expect(decoder.push(reads[0] as Uint8Array).frames).to.deep.equal([])
    expect(decoder.push(reads[1] as Uint8Array).frames).to.deep.equal([])
    const [frame] = decoder.push(reads[2] as Uint8Array).frames

    const pieces = [...(frame ?? [])]
    expect(pieces.map(piece => piece.buffer)).to.deep.equal(reads.map(read => read.buffer))
    expect(Buffer.from(frame?.subarray() ?? []).equals(wire.subarray(4))).to.equal(true)
  })

  it('openPieces gives the same plaintext as open, however the frame is cut (the MAC and the ciphertext split anywhere)', () => {
    for (let round = 0; round < 50; round++) {
      const { sealer, opener } = channel()
      const plaintexts = Array.from({ length: 5 }, () => randomBytes(Math.floor(Math.random() * 3000)))
      const frames = plaintexts.map(p => sealer.seal(p).subarray(4))
      const whole = opener()
      const pieces = opener()

      for (const [i, frame] of frames.entries()) {
        const cuts = Array.from({ length: Math.floor(Math.random() * 6) }, () => Math.floor(Math.random() * frame.byteLength)).sort((a, b) => a - b)
        const opened = pieces.openPieces(cutAt(frame, cuts)).subarray()
        expect(Buffer.from(opened).equals(plaintexts[i] as Uint8Array), `round ${round}, frame ${i}, cuts ${cuts.join(',')}`).to.equal(true)
        expect(Buffer.from(whole.open(frame)).equals(opened)).to.equal(true)
      }
    }
  })

  it('a frame in pieces with one flipped bit (ciphertext or MAC) is refused before it is deciphered: the next honest frame still opens', () => {
    const { sealer, opener } = channel()
    const first = sealer.seal(Buffer.from('the first frame')).subarray(4)
    const second = sealer.seal(Buffer.from('the second frame')).subarray(4)

    for (const at of [0, 7, first.byteLength - MAC, first.byteLength - 1]) {
      const open = opener()
      const tampered = first.slice()
      tampered[at] = (tampered[at] ?? 0) ^ 0x01
      // cut right through the MAC, so the check has to put its two halves together
      expect(() => open.openPieces(cutAt(tampered, [3, first.byteLength - MAC / 2]))).to.throw().with.property('name', 'MacMismatchError')
      expect(Buffer.from(open.openPieces(cutAt(first, [5])).subarray()).toString()).to.equal('the first frame')
      expect(Buffer.from(open.openPieces(cutAt(second, [second.byteLength - 1])).subarray()).toString()).to.equal('the second frame')
    }
  })
})
