/**
 * FrameOpener checks a frame before it deciphers a byte of it. AES-CTR keeps
 * one keystream for the connection, and deciphering N bytes moves it on by N:
 * so whether a refused frame was deciphered shows in the next genuine frame.
 * If the refused frame had gone through the decipher, the genuine one would
 * come out as garbage; if it did not, it comes out as sent.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { toHex } from './fixtures/wire.js'
import type { CipherName, HashName } from '../src/handshake/algorithms.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A sealed frame's payload: what FrameOpener.open() is given, the frame without its 4-byte length. */
function payload (frame: { subarray(): Uint8Array }): Uint8Array {
  return frame.subarray().slice(4)
}

function flipped (bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice()
  const at = index < 0 ? copy.byteLength + index : index
  copy[at] = (copy[at] ?? 0) ^ 0x01
  return copy
}

function channel (cipher: CipherName, hash: HashName): { sealer: FrameSealer, opener: FrameOpener } {
  const keys = { iv: randomBytes(16), cipherKey: randomBytes(cipher === 'AES-128' ? 16 : 32), macKey: randomBytes(20) }
  return { sealer: new FrameSealer(cipher, hash, keys), opener: new FrameOpener(cipher, hash, keys) }
}

describe('secio FrameOpener: nothing is deciphered before it is authenticated', () => {
  for (const [cipher, hash] of [['AES-256', 'SHA256'], ['AES-128', 'SHA512']] as Array<[CipherName, HashName]>) {
    const macLength = hash === 'SHA256' ? 32 : 64
    const where: Array<[string, (length: number) => number]> = [
      ['its first ciphertext byte', () => 0],
      ['its last ciphertext byte', (length) => length - macLength - 1],
      ['its first MAC byte', (length) => length - macLength],
      ['its last MAC byte', () => -1]
    ]

    for (const [what, index] of where) {
      it(`${cipher}/${hash}: a frame with ${what} flipped is refused (MacMismatchError) and leaves the keystream where it was`, () => {
        const { sealer, opener } = channel(cipher, hash)
        const first = payload(sealer.seal(text('the first frame, sent once')))
        const second = payload(sealer.seal(text('the second frame')))

        expect(() => opener.open(flipped(first, index(first.byteLength)))).to.throw().with.property('name', 'MacMismatchError')

        // the genuine frames still open to what was sealed, in order: the refused one moved nothing
        expect(toHex(opener.open(first))).to.equal(toHex(text('the first frame, sent once')))
        expect(toHex(opener.open(second))).to.equal(toHex(text('the second frame')))
      })
    }

    it(`${cipher}/${hash}: a frame under another MAC key is refused and leaves the keystream where it was`, () => {
      const { sealer, opener } = channel(cipher, hash)
      const stranger = channel(cipher, hash).sealer
      const genuine = payload(sealer.seal(text('genuine')))

      expect(() => opener.open(payload(stranger.seal(text('from someone else'))))).to.throw().with.property('name', 'MacMismatchError')
      expect(toHex(opener.open(genuine))).to.equal(toHex(text('genuine')))
    })

    it(`${cipher}/${hash}: a frame shorter than the MAC is refused (MacMismatchError) and leaves the keystream where it was`, () => {
      const { sealer, opener } = channel(cipher, hash)
      const genuine = payload(sealer.seal(text('genuine')))

      expect(() => opener.open(randomBytes(macLength - 1))).to.throw().with.property('name', 'MacMismatchError')
      expect(toHex(opener.open(genuine))).to.equal(toHex(text('genuine')))
    })

    it(`${cipher}/${hash}: a replayed frame is refused (ReplayedFrameError) and leaves the keystream where it was`, () => {
      const { sealer, opener } = channel(cipher, hash)
      const first = payload(sealer.seal(text('a frame worth replaying')))
      const second = payload(sealer.seal(text('what really came next')))

      expect(toHex(opener.open(first))).to.equal(toHex(text('a frame worth replaying')))
      expect(() => opener.open(first)).to.throw().with.property('name', 'ReplayedFrameError')
      expect(toHex(opener.open(second))).to.equal(toHex(text('what really came next')))
    })
  }
})
