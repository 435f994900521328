/**
 * The leading-zero logic in isolation, no sockets: `secretWidths` (which
 * widths a peer may have keyed with) against an independent model of Go's
 * `big.Int.Bytes()`, and `confirmKeys` over a scripted `FramedIo`: which
 * width it answers in, given a nonce frame keyed with either width, and when
 * it waits for that frame. Live interop catches these only on the 1 handshake
 * in 256 (P-256) where the secret starts with a zero byte; here every case
 * runs every time.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import type { Uint8ArrayList } from 'uint8arraylist'
import { InvalidFrameLengthError } from '../src/errors.js'
import { confirmKeys } from '../src/handshake/confirm.js'
import { deriveSessionKeys } from '../src/handshake/keys.js'
import { computeSharedSecret, generateEphemeral, secretWidths } from '../src/handshake/secret.js'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { within } from './fixtures/hostile-peer.js'
import { halfToHex, stretch, toHex } from './fixtures/wire.js'
import type { CipherName, ExchangeName, HashName, Suite } from '../src/handshake/algorithms.js'
import type { FrameReadOptions, FramedIo, Unwrapped } from '../src/handshake/framed-io.js'

/** Go's `big.Int.Bytes()` of a big-endian number: minimal width, and no bytes at all for zero. Independent of src/. */
function goBytes (secret: Uint8Array): Uint8Array {
  const value = BigInt(`0x${toHex(secret) === '' ? '0' : toHex(secret)}`)
  if (value === 0n) return new Uint8Array()
  const hex = value.toString(16)
  return Uint8Array.from(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex'))
}

function bytes (...parts: Array<number | Uint8Array>): Uint8Array {
  return Uint8Array.from(parts.flatMap(part => typeof part === 'number' ? [part] : [...part]))
}

/** A random secret of `width` bytes that starts with exactly `zeros` zero bytes. */
function zeroLed (width: number, zeros: number, next = 0x5a): Uint8Array {
  return bytes(new Uint8Array(zeros), next, randomBytes(width - zeros - 1))
}

/** A real ECDH secret from Uplink's own key code, drawn until `wanted` holds. */
async function realSecret (curve: ExchangeName, wanted: (secret: Uint8Array) => boolean): Promise<Uint8Array> {
  for (let tries = 0; tries < 10_000; tries++) {
    const [a, b] = await Promise.all([generateEphemeral(curve), generateEphemeral(curve)])
    const secret = await computeSharedSecret(a, b.key)
    if (wanted(secret)) return secret
  }

  throw new Error(`no such ${curve} secret in 10 000 tries`)
}

function expectGoWidths (secret: Uint8Array): void {
  const widths = secretWidths(secret)
  const go = goBytes(secret)

  expect(toHex(widths[0] ?? new Uint8Array()), 'full width first').to.equal(toHex(secret))

  if (go.byteLength === secret.byteLength) {
    expect(widths, 'no leading zero: one width').to.have.lengthOf(1)
  } else {
    expect(widths).to.have.lengthOf(2)
    expect(toHex(widths[1] ?? new Uint8Array()), 'the width Go keys with').to.equal(toHex(go))
  }
}

describe('secio secret widths (the leading-zero logic, no sockets)', function () {
  this.timeout(30_000)

  describe('secretWidths against Go\'s big.Int.Bytes()', () => {
    it('P-256: a real secret with no leading zero has one width, 32 bytes', async () => {
      const secret = await realSecret('P-256', s => s[0] !== 0)
      expect(secret.byteLength).to.equal(32)
      expectGoWidths(secret)
    })

    it('P-256: a real zero-led secret (1 in 256) has two widths: 32 bytes, then Go\'s 31 or fewer', async () => {
      const secret = await realSecret('P-256', s => s[0] === 0)
      expect(secret.byteLength).to.equal(32)
      expectGoWidths(secret)
      expect(secretWidths(secret)[1]?.byteLength).to.be.at.most(31)
    })

    it('P-521: a real secret starting 0x01 has one width, 66 bytes', async () => {
      const secret = await realSecret('P-521', s => s[0] === 1)
      expect(secret.byteLength).to.equal(66)
      expectGoWidths(secret)
    })

    it('P-521: a real zero-led secret (1 in 2: 521 bits in 66 bytes) has two widths: 66 bytes, then Go\'s 65 or fewer', async () => {
      const secret = await realSecret('P-521', s => s[0] === 0)
      expectGoWidths(secret)
      expect(secretWidths(secret)[1]?.byteLength).to.be.at.most(65)
    })

    for (const [curve, width] of [['P-256', 32], ['P-384', 48], ['P-521', 66]] as Array<[string, number]>) {
      for (const zeros of [1, 2, 3, 7]) {
        it(`${curve} width (${width} bytes) with ${zeros} leading zero byte${zeros > 1 ? 's' : ''}: every one is dropped (${width - zeros} bytes)`, () => {
          const secret = zeroLed(width, zeros)
          expectGoWidths(secret)
          expect(secretWidths(secret)[1]?.byteLength).to.equal(width - zeros)
        })
      }

      it(`${curve} width: a zero byte after the first non-zero one is kept`, () => {
        const secret = bytes(0, 0x01, 0, 0, randomBytes(width - 4))
        expect(toHex(secretWidths(secret)[1] ?? new Uint8Array())).to.equal(toHex(secret.subarray(1)))
      })
    }

    it('the narrower width is a view of the same bytes, so zeroing the secret (as confirmKeys does) zeroes both', () => {
      const secret = zeroLed(32, 2)
      const [, narrow] = secretWidths(secret)
      secret.fill(0)
      expect(narrow?.every(byte => byte === 0)).to.equal(true)
    })

    describe('the all-zero edge', () => {
      for (const width of [32, 66]) {
        it(`${width} zero bytes: two widths, the full one and a single zero byte (Go: no bytes at all)`, () => {
          const secret = new Uint8Array(width)
          const widths = secretWidths(secret)
          expect(widths.map(toHex)).to.deep.equal([toHex(secret), '00'])
          expect(goBytes(secret).byteLength).to.equal(0)
        })
      }

      // HMAC pads a key shorter than its block with zero bytes, so one zero byte and no bytes are the same key
      for (const cipher of ['AES-128', 'AES-256'] as CipherName[]) {
        for (const hash of ['SHA256', 'SHA512'] as HashName[]) {
          it(`${cipher}/${hash}: the single zero byte keys the channel exactly as Go's empty secret does`, async () => {
            const [, narrow] = secretWidths(new Uint8Array(32))
            const keys = await deriveSessionKeys({ exchange: 'P-256', cipher, hash }, narrow ?? new Uint8Array([0xff]), 1)
            const go = stretch(cipher, hash, new Uint8Array())
            expect(halfToHex(keys.local)).to.deep.equal(halfToHex(go.k1))
            expect(halfToHex(keys.remote)).to.deep.equal(halfToHex(go.k2))
          })
        }
      }
    })
  })

  describe('confirmKeys: the width it answers in', () => {
    const suite: Suite = { exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' }

    /** A FramedIo with no socket: frames the peer "sends" are handed in by the test; our writes are recorded. */
    class ScriptedIo implements FramedIo {
      readonly written: Uint8Array[] = []
      private readonly incoming: Uint8Array[] = []
      private arrived?: () => void
      private wrote?: () => void

      deliver (payload: Uint8Array): void {
        this.incoming.push(payload)
        this.arrived?.()
      }

      async nextWrite (): Promise<Uint8Array> {
        const count = this.written.length
        if (count === 0) await new Promise<void>(resolve => { this.wrote = resolve })
        return this.written[0] ?? new Uint8Array()
      }

      async write (): Promise<void> {
        throw new Error('confirmKeys writes sealed frames only')
      }

      async writeFramed (frame: Uint8ArrayList): Promise<void> {
        this.written.push(frame.subarray().slice(4))
        this.wrote?.()
      }

      async read ({ min = 0, max }: { min?: number, max: number }, options: FrameReadOptions): Promise<Uint8Array> {
        const signal = options.headerSignal ?? options.signal

        while (this.incoming.length === 0) {
          await new Promise<void>((resolve, reject) => {
            if (signal?.aborted === true) { reject(signal.reason); return }
            const onAbort = (): void => { reject(signal?.reason) }
            signal?.addEventListener('abort', onAbort, { once: true })
            this.arrived = () => { signal?.removeEventListener('abort', onAbort); resolve() }
          })
        }

        const frame = this.incoming.shift() ?? new Uint8Array()
        if (frame.byteLength < min || frame.byteLength > max) throw new InvalidFrameLengthError(`frame length ${frame.byteLength} is outside ${min}..${max}`)
        return frame
      }

      unwrap (): Unwrapped {
        throw new Error('not used here')
      }
    }

    interface Peer {
      sealer: FrameSealer
      opener: FrameOpener
      /** The peer's nonce frame: our nonce, sealed in the peer's keys, without the length prefix. */
      nonceFrame: Uint8Array
    }

    /** The peer's side of the channel, keyed with `secret` (full width, or Go's stripped one). */
    async function peerKeyedWith (secret: Uint8Array, order: 1 | -1, ourNonce: Uint8Array): Promise<Peer> {
      const keys = await deriveSessionKeys(suite, secret, order === 1 ? -1 : 1)
      const sealer = new FrameSealer(suite.cipher, suite.hash, keys.local)
      const opener = new FrameOpener(suite.cipher, suite.hash, keys.remote)
      return { sealer, opener, nonceFrame: sealer.seal(ourNonce).subarray().slice(4) }
    }

    async function turns (n: number): Promise<void> {
      for (let i = 0; i < n; i++) await new Promise(resolve => setTimeout(resolve, 0))
    }

    interface Run {
      io: ScriptedIo
      confirmed: Promise<unknown>
      remoteNonce: Uint8Array
      peer: (width: 'full' | 'go') => Promise<Peer>
    }

    function run (secret: Uint8Array, order: 1 | -1, leadingZeroWait: number, remoteMarked = false): Run {
      const io = new ScriptedIo()
      const localNonce = randomBytes(16)
      const remoteNonce = randomBytes(16)
      const full = secret.slice()
      const go = goBytes(secret)
      // confirmKeys zeroes the secret it is given
      const confirmed = confirmKeys(io, { suite, order, secret: secret.slice(), localNonce, remoteNonce, remoteMarked, leadingZeroWait, signal: AbortSignal.timeout(10_000) })
      confirmed.catch(() => {})
      return { io, confirmed, remoteNonce, peer: async (width) => peerKeyedWith(width === 'full' ? full : go, order, localNonce) }
    }

    /** Our nonce frame must be the peer's nonce sealed in the peer's width: the peer's opener takes it. */
    function expectAnsweredIn (peer: Peer, frame: Uint8Array, remoteNonce: Uint8Array): void {
      expect(peer.opener.verifies(frame), 'our nonce frame verifies under the peer\'s keys').to.equal(true)
      expect(toHex(peer.opener.open(frame))).to.equal(toHex(remoteNonce))
    }

    for (const zeros of [1, 3]) {
      for (const order of [1, -1] as const) {
        const side = order === 1 ? 'we won the order (we wait without a bound)' : 'we lost the order (we wait up to leadingZeroWait)'

        for (const width of ['go', 'full'] as const) {
          it(`${zeros} leading zero${zeros > 1 ? 's' : ''}, ${side}: a nonce frame keyed with ${width === 'go' ? 'Go\'s stripped' : 'the full-width'} secret is answered in that width`, async () => {
            const r = run(zeroLed(32, zeros), order, 60_000)
            const peer = await r.peer(width)
            r.io.deliver(peer.nonceFrame)

            await within(5_000, r.confirmed)
            expect(r.io.written).to.have.lengthOf(1)
            expectAnsweredIn(peer, r.io.written[0] ?? new Uint8Array(), r.remoteNonce)
          })
        }
      }
    }

    it('we lost the order and no frame starts within the wait: we answer in full width first, and a full-width peer confirms', async () => {
      const r = run(zeroLed(32, 1), -1, 0)
      const peer = await r.peer('full')
      const ours = await within(5_000, r.io.nextWrite(), 'our nonce frame')
      expectAnsweredIn(peer, ours, r.remoteNonce)

      r.io.deliver(peer.nonceFrame)
      await within(5_000, r.confirmed)
    })

    it('we won the order: we never stop waiting for the peer\'s frame, however short leadingZeroWait is', async () => {
      const r = run(zeroLed(32, 1), 1, 0)
      const peer = await r.peer('go')
      // a 0 ms wait would have run out many times over by now
      await turns(20)
      expect(r.io.written, 'nothing sent before the peer\'s frame').to.have.lengthOf(0)

      r.io.deliver(peer.nonceFrame)
      await within(5_000, r.confirmed)
      expectAnsweredIn(peer, r.io.written[0] ?? new Uint8Array(), r.remoteNonce)
    })

    for (const order of [1, -1] as const) {
      it(`no leading zero (${order === 1 ? 'won' : 'lost'} the order): one width, our nonce frame goes out before the peer's arrives`, async () => {
        const r = run(bytes(0x80, randomBytes(31)), order, 60_000)
        const peer = await r.peer('full')
        const ours = await within(5_000, r.io.nextWrite(), 'our nonce frame')
        expectAnsweredIn(peer, ours, r.remoteNonce)

        r.io.deliver(peer.nonceFrame)
        await within(5_000, r.confirmed)
      })
    }

    for (const order of [1, -1] as const) {
      it(`a zero-led secret with a peer whose nonce carries Uplink's full-width mark (${order === 1 ? 'won' : 'lost'} the order): our full-width nonce frame goes out before the peer's arrives, whatever the wait`, async () => {
        const r = run(zeroLed(32, 1), order, 60_000, true)
        const peer = await r.peer('full')
        const ours = await within(5_000, r.io.nextWrite(), 'our nonce frame')
        expectAnsweredIn(peer, ours, r.remoteNonce)

        r.io.deliver(peer.nonceFrame)
        await within(5_000, r.confirmed)
      })
    }

    it('a frame that verifies under neither width fails with MacMismatchError', async () => {
      const r = run(zeroLed(32, 1), 1, 60_000)
      const stranger = await peerKeyedWith(randomBytes(32), 1, randomBytes(16))
      r.io.deliver(stranger.nonceFrame)

      const err = await within(5_000, r.confirmed.then(() => undefined, (err: unknown) => err))
      expect((err as Error | undefined)?.name).to.equal('MacMismatchError')
    })
  })
})
