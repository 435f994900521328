/**
 * The data phase of a SECIO connection, after a successful handshake: odd
 * write sizes, chunking on the wire, frames split and merged across reads,
 * data straight after the nonce frame, tampered and oversized frames,
 * backpressure and closing.
 */
import { randomBytes } from 'node:crypto'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_SEND_CHUNK } from '../src/constants.js'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { FrameDecoder } from '../src/framing/frame-decoder.js'
import { FakePeer, againstFake, closed, drain, prefix, receive, recordWrites, relay, splitFrames, within } from './fixtures/hostile-peer.js'
import { encrypter, handshake, peer, transfer } from './fixtures/peers.js'
import type { Handshaken } from './fixtures/peers.js'
import type { SecioInit } from '../src/index.js'
import type { MessageStream, MultiaddrConnection } from '@libp2p/interface'

const MAC = 32

async function pair (init: SecioInit = {}, raw?: [MultiaddrConnection, MultiaddrConnection]): Promise<Handshaken> {
  const [alice, bob] = await Promise.all([peer(), peer()])
  return handshake(encrypter(alice, init), encrypter(bob, init), bob.peerId, raw)
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

/** After everything written in this turn of the event loop has left as a frame. */
async function nextTurn (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

/**
 * Resolves once `progress()` has not changed across `turns` consecutive turns
 * of the event loop: the in-memory pairs move bytes only in microtasks and
 * 0 ms timers, so a transfer that stays put that long has stalled, however
 * slow the machine. Counted in turns, not milliseconds; `within` is only a
 * hang guard.
 */
async function untilStalled (progress: () => number, turns = 20): Promise<void> {
  await within(20_000, (async () => {
    let last = progress()

    for (let quiet = 0; quiet < turns;) {
      await new Promise(resolve => setTimeout(resolve, 0))
      const now = progress()
      quiet = now === last ? quiet + 1 : 0
      last = now
    }
  })(), 'the transfer to stall')
}

/** Sends, waiting for drain when the stream asks for it. */
async function sendAll (stream: MessageStream, ...chunks: Uint8Array[]): Promise<void> {
  for (const chunk of chunks) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('secio data path', function () {
  this.timeout(60_000)

  describe('write sizes', () => {
    it('a 0-byte write sends nothing, delivers nothing and breaks nothing', async () => {
      const { dialer, listener, raw } = await pair()
      const wire = recordWrites(raw[0])
      const messages: number[] = []
      listener.connection.addEventListener('message', evt => { messages.push(evt.data.byteLength) })

      expect(dialer.connection.send(new Uint8Array(0))).to.equal(true)
      await untilStalled(() => wire.bytes().byteLength + messages.length)
      expect(wire.bytes().byteLength, 'nothing on the wire').to.equal(0)
      expect(messages).to.deep.equal([])

      expect(await transfer(dialer.connection, listener.connection, text('after'))).to.deep.equal(Buffer.from('after'))
      expect(dialer.connection.status).to.equal('open')
      expect(listener.connection.status).to.equal('open')
    })

    it('an empty frame from the peer (L = MAC length) is accepted and delivers nothing', async () => {
      const { fake, secured } = await againstFake()
      const got = receive(secured.connection, 3)
      await fake.writeRaw(fake.seal(new Uint8Array()), fake.seal(text('abc')))
      expect(str(await got)).to.equal('abc')
      expect(secured.connection.status).to.equal('open')
    })

    it('1000 one-byte writes all arrive, in order', async () => {
      const { dialer, listener } = await pair()
      const expected = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff)
      const got = receive(listener.connection, 1000)
      await sendAll(dialer.connection, ...Array.from(expected, byte => Uint8Array.of(byte)))
      expect(Buffer.from(await got).equals(expected)).to.equal(true)
    })

    it('a single 16 MiB write arrives intact and is chunked on the wire (no frame over DEFAULT_MAX_SEND_CHUNK, 1 MiB, + MAC)', async () => {
      const { dialer, listener, raw } = await pair()
      const wire = recordWrites(raw[0])
      const data = randomBytes(16 * 1024 * 1024)
      const got = receive(listener.connection, data.byteLength)

      dialer.connection.send(data)
      expect(Buffer.from(await got).equals(data)).to.equal(true)

      const { frames, rest } = splitFrames(wire.bytes())
      expect(rest, 'the wire holds whole frames').to.equal(0)
      expect(frames.length).to.be.at.least(data.byteLength / DEFAULT_MAX_SEND_CHUNK)
      const longest = Math.max(...frames.map(frame => frame.byteLength))
      expect(longest).to.be.at.most(DEFAULT_MAX_SEND_CHUNK + MAC)
      expect(frames.reduce((sum, frame) => sum + frame.byteLength - MAC, 0)).to.equal(data.byteLength)
    })

    it('maxSendChunk makes smaller frames', async () => {
      const { dialer, listener, raw } = await pair({ maxSendChunk: 1000 })
      const wire = recordWrites(raw[0])
      const data = randomBytes(100_000)
      expect(await transfer(dialer.connection, listener.connection, data, data.byteLength)).to.deep.equal(data)
      const { frames } = splitFrames(wire.bytes())
      expect(Math.max(...frames.map(frame => frame.byteLength))).to.equal(1000 + MAC)
    })
  })

  describe('frames split across and merged into reads', () => {
    function sealedStream (sizes: number[]): { wire: Uint8Array, plaintexts: Uint8Array[], opener: () => FrameOpener } {
      const keys = { iv: randomBytes(16), cipherKey: randomBytes(32), macKey: randomBytes(20) }
      const sealer = new FrameSealer('AES-256', 'SHA256', keys)
      const plaintexts = sizes.map(size => randomBytes(size))
      const wire = Buffer.concat(plaintexts.map(p => sealer.seal(p).subarray()))
      return { wire, plaintexts, opener: () => new FrameOpener('AES-256', 'SHA256', keys) }
    }

    function decodeIn (wire: Uint8Array, pieces: number[]): { frames: Uint8Array[], pendingAfter: number } {
      const decoder = new FrameDecoder({ min: MAC, max: DEFAULT_MAX_FRAME_LENGTH })
      const frames: Uint8Array[] = []
      let offset = 0
      for (const size of pieces) {
        frames.push(...decoder.push(wire.subarray(offset, offset + size)).frames.map(f => f.slice()))
        offset += size
      }
      expect(offset).to.equal(wire.byteLength)
      return { frames, pendingAfter: decoder.pending }
    }

    function randomPieces (total: number, max: number): number[] {
      const pieces: number[] = []
      for (let left = total; left > 0;) {
        const size = Math.min(left, 1 + Math.floor(Math.random() * max))
        pieces.push(size)
        left -= size
      }
      return pieces
    }

    it('FrameDecoder yields the same frames fed byte by byte, all at once, or in random pieces', () => {
      const { wire, plaintexts, opener } = sealedStream([0, 1, 16, 100, 5000, 0, 70_000, 3])
      const allAtOnce = decodeIn(wire, [wire.byteLength])
      const byteByByte = decodeIn(wire, Array.from({ length: wire.byteLength }, () => 1))
      const random = decodeIn(wire, randomPieces(wire.byteLength, 3000))

      expect(allAtOnce.frames).to.have.lengthOf(plaintexts.length)
      expect(byteByByte.frames).to.deep.equal(allAtOnce.frames)
      expect(random.frames).to.deep.equal(allAtOnce.frames)
      for (const result of [allAtOnce, byteByByte, random]) expect(result.pendingAfter).to.equal(0)

      const open = opener()
      expect(allAtOnce.frames.map(frame => Buffer.from(open.open(frame)))).to.deep.equal(plaintexts.map(p => Buffer.from(p)))
    })

    it('FrameDecoder judges a hostile length as soon as its 4th byte arrives, byte by byte', () => {
      for (const length of [DEFAULT_MAX_FRAME_LENGTH + 1, 0x80000000, 0xffffffff, MAC - 1, 0]) {
        const decoder = new FrameDecoder({ min: MAC, max: DEFAULT_MAX_FRAME_LENGTH })
        const bytes = prefix(length)
        for (let i = 0; i < 3; i++) expect(decoder.push(bytes.subarray(i, i + 1))).to.deep.equal({ frames: [] })
        expect(decoder.push(bytes.subarray(3)).error?.name).to.equal('InvalidFrameLengthError')
      }
    })

    // Regression: push() threw from inside its loop, so the frames it had already cut from the same read were lost.
    it('FrameDecoder hands out every frame cut before a bad length in the same read, then the error, and nothing after', () => {
      const { wire, plaintexts } = sealedStream([5, 0, 3000])
      const decoder = new FrameDecoder({ min: MAC, max: DEFAULT_MAX_FRAME_LENGTH })
      const after = sealedStream([7]).wire
      const { frames, error } = decoder.push(Buffer.concat([wire, prefix(MAC - 1), randomBytes(40), after]))

      expect(frames.map(frame => frame.byteLength)).to.deep.equal(plaintexts.map(p => p.byteLength + MAC))
      expect(error?.name).to.equal('InvalidFrameLengthError')
      // the decoder is finished: later bytes give neither frames nor a different error
      const later = decoder.push(after)
      expect(later.frames).to.deep.equal([])
      expect(later.error).to.equal(error)
    })

    it('FrameDecoder never buffers more than one frame plus the current read', () => {
      const { wire } = sealedStream([60_000, 60_000, 60_000, 60_000])
      const decoder = new FrameDecoder({ min: MAC, max: DEFAULT_MAX_FRAME_LENGTH })
      let offset = 0
      for (const size of randomPieces(wire.byteLength, 7000)) {
        decoder.push(wire.subarray(offset, offset + size))
        offset += size
        expect(decoder.pending).to.be.at.most(60_000 + MAC + size)
      }
      expect(decoder.pending).to.equal(0)
    })

    const chunkers: Array<[string, (pending: number) => number[]]> = [
      ['random pieces (some held back and merged with the next read)', (pending) => {
        if (Math.random() < 0.3) return []
        const sizes: number[] = []
        for (let left = pending; left > 0;) {
          const size = Math.min(left, 1 + Math.floor(Math.random() * 3000))
          sizes.push(size)
          left -= size
        }
        return sizes
      }],
      ['1-7 byte pieces', (pending) => {
        const sizes: number[] = []
        for (let left = pending; left > 0;) {
          const size = Math.min(left, 1 + Math.floor(Math.random() * 7))
          sizes.push(size)
          left -= size
        }
        return sizes
      }]
    ]

    for (const [what, chunker] of chunkers) {
      it(`handshake and data survive a relay that re-chunks the bytes into ${what}`, async () => {
        const mitm = relay({ chunker })
        const { dialer, listener } = await pair({}, [mitm.a, mitm.b])
        const data = randomBytes(what.startsWith('1-7') ? 20_000 : 1024 * 1024)
        const back = randomBytes(30_000)
        const [there, returned] = await Promise.all([
          transfer(dialer.connection, listener.connection, data, 10_000 + Math.floor(Math.random() * 50_000)),
          transfer(listener.connection, dialer.connection, back, 777)
        ])
        expect(Buffer.from(there).equals(data)).to.equal(true)
        expect(Buffer.from(returned).equals(back)).to.equal(true)
      })
    }
  })

  describe('data straight after the nonce frame', () => {
    it('data the dialer sends the moment secureOutbound resolves all reaches the listener (and vice versa)', async () => {
      for (let round = 0; round < 20; round++) {
        const [alice, bob] = await Promise.all([peer(), peer()])
        const raw = multiaddrConnectionPair()
        const toListener = randomBytes(200_000)
        const toDialer = randomBytes(50_000)
        const signal = AbortSignal.timeout(5_000)
        const [d, l] = await Promise.all([
          encrypter(alice).secureOutbound(raw[0], { signal, remotePeer: bob.peerId }).then(s => { s.connection.send(toListener); return s }),
          encrypter(bob).secureInbound(raw[1], { signal }).then(s => { s.connection.send(toDialer); return s })
        ])
        const [atListener, atDialer] = await Promise.all([receive(l.connection, toListener.byteLength), receive(d.connection, toDialer.byteLength)])
        expect(Buffer.from(atListener).equals(toListener), `round ${round}`).to.equal(true)
        expect(Buffer.from(atDialer).equals(toDialer), `round ${round}`).to.equal(true)
      }
    })

    it('app frames written in the SAME write as the peer\'s nonce frame are delivered', async () => {
      const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
      const [fakeRaw, raw] = multiaddrConnectionPair()
      const fake = new FakePeer(fakeRaw, { privateKey: fakeIdentity.privateKey })
      const secured = encrypter(uplink).secureInbound(raw, { signal: AbortSignal.timeout(5_000) })

      await fake.upToKeys()
      const one = randomBytes(1000)
      const two = randomBytes(70_000)
      await fake.writeRaw(fake.nonceFrame(), fake.seal(one), fake.seal(two))
      await fake.readNonceFrame()

      const { connection } = await secured
      expect(Buffer.from(await receive(connection, 71_000)).equals(Buffer.concat([one, two]))).to.equal(true)
    })

    it('an app frame that starts in the nonce frame\'s write and ends in a later one is delivered', async () => {
      const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
      const [fakeRaw, raw] = multiaddrConnectionPair()
      const fake = new FakePeer(fakeRaw, { privateKey: fakeIdentity.privateKey })
      const secured = encrypter(uplink).secureInbound(raw, { signal: AbortSignal.timeout(5_000) })

      await fake.upToKeys()
      const data = randomBytes(5000)
      const nonceFrame = fake.nonceFrame() // sealed first: the keystream runs in write order
      const frame = fake.seal(data).subarray()
      await fake.writeRaw(nonceFrame, frame.subarray(0, 2))
      const { connection } = await secured
      const got = receive(connection, data.byteLength)
      await sleep(10)
      await fake.writeRaw(frame.subarray(2))
      expect(Buffer.from(await got).equals(data)).to.equal(true)
    })
  })

  describe('tampered frames', () => {
    it('a MITM flipping one bit in the 3rd data frame: MacMismatchError on the stream, frames 1-2 intact, nothing after it, raw closed', async () => {
      const mitm = relay({
        frame: (direction, index, payload) => {
          // 0 Propose, 1 Exchange, 2 nonce, 3.. data: index 5 is the 3rd data frame
          if (direction !== 'a->b' || index !== 5) return payload
          const copy = new Uint8Array(payload)
          copy[0] = (copy[0] ?? 0) ^ 0x01
          return copy
        },
        // the bad frame waits for the two written after it, so all three arrive in the same read
        hold: direction => direction === 'a->b' && mitm.frames['a->b'] >= 6 && mitm.frames['a->b'] < 8
      })
      const { dialer, listener } = await pair({}, [mitm.a, mitm.b])
      const received: string[] = []
      listener.connection.addEventListener('message', evt => { received.push(str(evt.data.subarray())) })
      const ended = drain(listener.connection)

      dialer.connection.send(text('frame-1;'))
      await within(2_000, (async () => { while (received.join('') !== 'frame-1;') await sleep(2) })())
      dialer.connection.send(text('frame-2;'))
      await within(2_000, (async () => { while (received.join('') !== 'frame-1;frame-2;') await sleep(2) })())
      // the bad frame and two good ones right behind it, each written in a turn of its own (a frame each)
      dialer.connection.send(text('frame-3;'))
      await nextTurn()
      dialer.connection.send(text('frame-4;'))
      await nextTurn()
      dialer.connection.send(text('frame-5;'))

      const { data, error } = await within(2_000, ended)
      expect(mitm.frames['a->b'], 'frames 4 and 5 reached the MITM, in the same read as the bad one').to.equal(8)
      expect(error?.name).to.equal('MacMismatchError')
      expect(str(data)).to.equal('frame-1;frame-2;')
      await untilStalled(() => received.length)
      expect(received.join(''), 'and nothing after the end').to.equal('frame-1;frame-2;')
      expect(await closed(mitm.b), 'listener raw').to.equal('aborted')
      expect(await closed(mitm.a), 'dialer raw (reset reaches it)').to.equal('reset')
      expect(listener.connection.status).to.equal('aborted')
      expect(dialer.connection.status).to.equal('reset')
    })

    it('after a MAC failure the reset reaches the sender at once: its next send() throws a named error', async () => {
      const mitm = relay({
        frame: (direction, index, payload) => {
          if (direction !== 'a->b' || index !== 3) return payload
          const copy = new Uint8Array(payload)
          copy[copy.byteLength - 1] = (copy[copy.byteLength - 1] ?? 0) ^ 0x01
          return copy
        }
      })
      const { dialer, listener } = await pair({}, [mitm.a, mitm.b])
      const ended = drain(listener.connection)
      dialer.connection.send(text('bad'))
      const { data, error } = await within(2_000, ended)
      expect(error?.name).to.equal('MacMismatchError')
      expect(data.byteLength).to.equal(0)
      expect(await closed(mitm.a)).to.equal('reset')
      expect(() => dialer.connection.send(text('more'))).to.throw().with.property('name', 'StreamStateError')
    })

    const flips: Array<[string, (frameLength: number) => number]> = [
      ['the first ciphertext byte', () => 4],
      ['the last ciphertext byte', (length) => 4 + length - MAC - 1],
      ['the first MAC byte', (length) => 4 + length - MAC],
      ['the last MAC byte', (length) => 4 + length - 1]
    ]

    for (const [where, at] of flips) {
      it(`a bit flipped in ${where}, arriving in one read with good frames behind it: MacMismatchError, nothing after it`, async () => {
        const { fake, secured, raw } = await againstFake()
        const ended = drain(secured.connection)

        await fake.writeRaw(fake.seal(text('one;')))
        await fake.writeRaw(fake.seal(text('two;')))
        await sleep(20)
        const bad = fake.seal(text('three;')).subarray().slice()
        const i = at(bad.byteLength - 4)
        bad[i] = (bad[i] ?? 0) ^ 0x80
        await fake.writeRaw(new Uint8ArrayList(bad, fake.seal(text('four;')), fake.seal(text('five;'))))

        const { data, error } = await within(2_000, ended)
        expect(error?.name).to.equal('MacMismatchError')
        expect(str(data)).to.equal('one;two;')
        expect(await closed(raw)).to.equal('aborted')
      })
    }

    it('good frames and a bad frame all in ONE read: the good ones before it are dispatched, nothing after it', async () => {
      const { fake, secured, raw } = await againstFake()
      const received: string[] = []
      secured.connection.addEventListener('message', evt => { received.push(str(evt.data.subarray())) })
      const closing = new Promise<any>(resolve => { secured.connection.addEventListener('close', evt => { resolve(evt.error) }) })
      const one = fake.seal(text('one;'))
      const two = fake.seal(text('two;'))
      const bad = fake.seal(text('three;')).subarray().slice()
      bad[5] = (bad[5] ?? 0) ^ 0x01
      await fake.writeRaw(new Uint8ArrayList(one, two, bad, fake.seal(text('four;'))))

      expect((await within(2_000, closing))?.name).to.equal('MacMismatchError')
      expect(received.join('')).to.equal('one;two;')
      expect(await closed(raw)).to.equal('aborted')
    })

    // Regression: AbstractMessageStream's own iterator ends an it-pushable with the error, which dropped
    // chunks the reader had not pulled yet ('two;' was lost). SecioStream iterates with drainThenFail.
    it('good frames and a bad frame all in ONE read: a `for await` reader still gets every good frame before the error', async () => {
      const { fake, secured, raw } = await againstFake()
      const ended = drain(secured.connection)
      const one = fake.seal(text('one;'))
      const two = fake.seal(text('two;'))
      const bad = fake.seal(text('three;')).subarray().slice()
      bad[5] = (bad[5] ?? 0) ^ 0x01
      await fake.writeRaw(new Uint8ArrayList(one, two, bad, fake.seal(text('four;'))))

      const { data, error } = await within(2_000, ended)
      expect(error?.name).to.equal('MacMismatchError')
      expect(str(data)).to.equal('one;two;')
      expect(await closed(raw)).to.equal('aborted')
    })

    it('with SHA512 (64-byte MAC) a flip anywhere in the MAC is caught too', async () => {
      for (const back of [1, 33, 64]) {
        const { fake, secured, raw } = await againstFake({ hashes: ['SHA512'], ciphers: ['AES-128'] })
        expect(secured.remoteExtensions).to.deep.equal({ exchange: 'P-256', cipher: 'AES-128', hash: 'SHA512' })
        const ended = drain(secured.connection)
        const bad = fake.seal(text('payload')).subarray().slice()
        expect(bad.byteLength).to.equal(4 + 7 + 64)
        bad[bad.byteLength - back] = (bad[bad.byteLength - back] ?? 0) ^ 0x01
        await fake.writeRaw(bad)
        const { data, error } = await within(2_000, ended)
        expect(error?.name, `byte -${back}`).to.equal('MacMismatchError')
        expect(data.byteLength).to.equal(0)
        expect(await closed(raw)).to.equal('aborted')
      }
    })
  })

  describe('hostile frame lengths', () => {
    // Regression: the decoder threw before returning the frames it had cut, so 'one;two;' never reached the reader.
    it('good frames and a bad length all in ONE read: the frames before it are delivered, then InvalidFrameLengthError', async () => {
      const { fake, secured, raw } = await againstFake()
      const received: string[] = []
      secured.connection.addEventListener('message', evt => { received.push(str(evt.data.subarray())) })
      const ended = drain(secured.connection)
      await fake.writeRaw(fake.seal(text('one;')), fake.seal(text('two;')), prefix(10), randomBytes(10), fake.seal(text('after;')))

      const { data, error } = await within(2_000, ended)
      expect(error?.name).to.equal('InvalidFrameLengthError')
      expect(str(data)).to.equal('one;two;')
      expect(received.join('')).to.equal('one;two;')
      expect(await closed(raw)).to.equal('aborted')
    })

    it('a frame shorter than the MAC (L = 10): InvalidFrameLengthError, nothing after it delivered', async () => {
      const { fake, secured, raw } = await againstFake()
      const ended = drain(secured.connection)
      await fake.writeRaw(fake.seal(text('before;')))
      await sleep(20)
      await fake.writeRaw(prefix(10), randomBytes(10), fake.seal(text('after;')))

      const { data, error } = await within(2_000, ended)
      expect(error?.name).to.equal('InvalidFrameLengthError')
      expect(str(data)).to.equal('before;')
      expect(await closed(raw)).to.equal('aborted')
    })

    for (const [what, length] of [['8 MiB + 1', DEFAULT_MAX_FRAME_LENGTH + 1], ['0x80000000', 0x80000000], ['0xffffffff', 0xffffffff]] as Array<[string, number]>) {
      it(`a frame length of ${what}: InvalidFrameLengthError from the prefix alone, promptly`, async () => {
        const { fake, secured, raw } = await againstFake()
        const ended = drain(secured.connection)
        // only the prefix is ever sent: an implementation that waits for the body never ends the stream
        await fake.writeRaw(prefix(length))

        const { error } = await within(5_000, ended, 'the end of the stream (a hang guard)')
        expect(error?.name).to.equal('InvalidFrameLengthError')
        expect(error?.message).to.include(String(length))
        expect(await closed(raw)).to.equal('aborted')
      })
    }

    // Regression: a clean close in the middle of a frame used to end the stream cleanly, hiding the truncation.
    // (Truncation exactly at a frame boundary stays undetectable in SECIO: no authenticated close.)
    it('a clean close in the middle of a frame surfaces a named error, not a clean end', async () => {
      const { fake, secured, raw } = await againstFake()
      const ended = drain(secured.connection)
      await fake.writeRaw(fake.seal(text('one;')))
      await sleep(20)
      await fake.writeRaw(fake.seal(text('two;')).sublist(0, 20))
      await fake.raw.close()

      const { data, error } = await within(2_000, ended)
      expect(str(data)).to.equal('one;')
      // the 20 bytes sent are the 4-byte prefix and 16 of the frame's 36: the count includes the prefix
      expect(error?.name, String(error?.stack)).to.equal('UnexpectedEOFError')
      expect(error?.message).to.match(/ 20 bytes into a frame/)
      expect(await closed(raw)).to.equal('closed')
    })

    it('a 9 MiB frame (one frame, sealed directly) is accepted with maxFrameLength 32 MiB', async () => {
      const { fake, secured } = await againstFake({ maxFrameLength: 32 * 1024 * 1024 })
      const data = randomBytes(9 * 1024 * 1024)
      const got = receive(secured.connection, data.byteLength)
      const frame = fake.seal(data)
      expect(frame.byteLength).to.equal(4 + data.byteLength + MAC)
      await fake.writeRaw(frame)
      expect(Buffer.from(await got).equals(data)).to.equal(true)
      expect(secured.connection.status).to.equal('open')
    })

    it('the same 9 MiB frame is refused by default (InvalidFrameLengthError) as soon as its prefix arrives', async () => {
      const { fake, secured, raw } = await againstFake()
      const ended = drain(secured.connection)
      const frame = fake.seal(randomBytes(9 * 1024 * 1024)).subarray()
      await fake.writeRaw(frame.subarray(0, 4 + 1000))

      const { error } = await within(1_000, ended)
      expect(error?.name).to.equal('InvalidFrameLengthError')
      expect(await closed(raw)).to.equal('aborted')
    })
  })

  describe('backpressure and closing', () => {
    const EIGHT_MIB = 8 * 1024 * 1024

    it('a paused receiver holds the sender back: send() returns false, buffers stay bounded, all arrives after resume()', async () => {
      const { dialer, listener, raw } = await pair()
      const wire = recordWrites(raw[0])
      listener.connection.pause()

      const data = randomBytes(EIGHT_MIB)
      const accepted = dialer.connection.send(data)
      // however long it is given, the transfer stops: what the sender put on the wire and what it still holds stay put
      await untilStalled(() => wire.bytes().byteLength + dialer.connection.writeBufferLength)

      const onTheWire = wire.bytes().byteLength
      // the frame the raw connection took before it asked us to wait, and the one that found it full
      const twoFrames = 2 * (4 + DEFAULT_MAX_SEND_CHUNK + MAC)
      expect(onTheWire, 'bytes the sender put on the wire while the receiver was paused').to.be.at.most(twoFrames)
      expect(accepted, 'send() asks the writer to wait').to.equal(false)
      expect(dialer.connection.writableNeedsDrain, 'the writer still waits for drain').to.equal(true)
      const receiverBuffered = listener.connection.readBufferLength + raw[1].readBufferLength
      expect(receiverBuffered, 'receiver-side buffering').to.be.at.most(onTheWire)
      expect(dialer.connection.writeBufferLength, 'the rest waits at the sender').to.be.at.least(EIGHT_MIB - twoFrames)
      expect(listener.connection.status).to.equal('open')
      expect(dialer.connection.status).to.equal('open')

      const got = receive(listener.connection, EIGHT_MIB)
      listener.connection.resume()
      expect(Buffer.from(await got).equals(data)).to.equal(true)
      await within(2_000, dialer.connection.onDrain())
    })

    it('close() on the sender flushes everything still queued before the raw connection closes', async () => {
      const { dialer, listener, raw } = await pair()
      listener.connection.pause()

      const wire = recordWrites(raw[0])
      const data = randomBytes(EIGHT_MIB)
      dialer.connection.send(data)
      const closing = dialer.connection.close()
      await untilStalled(() => wire.bytes().byteLength)
      expect(dialer.connection.writeBufferLength, 'data still queued').to.be.greaterThan(0)
      expect(raw[0].status, 'the raw connection waits for the queued data').to.equal('open')

      const ended = drain(listener.connection)
      listener.connection.resume()
      const { data: got, error } = await within(10_000, ended)
      expect(error, String(error?.stack)).to.equal(undefined)
      expect(got.byteLength).to.equal(EIGHT_MIB)
      expect(Buffer.from(got).equals(data)).to.equal(true)
      await within(5_000, closing)
      expect(await closed(raw[0])).to.equal('closed')
      expect(await closed(raw[1])).to.equal('closed')
    })

    it('close() ends the peer\'s iteration cleanly after the last byte', async () => {
      const { dialer, listener, raw } = await pair()
      const ended = drain(listener.connection)
      dialer.connection.send(text('last words'))
      await dialer.connection.close()

      const { data, error } = await within(2_000, ended)
      expect(error).to.equal(undefined)
      expect(str(data)).to.equal('last words')
      expect(dialer.connection.status).to.equal('closed')
      expect(await closed(raw[0])).to.equal('closed')
      expect(await closed(raw[1])).to.equal('closed')
    })

    it('abort(err) closes the raw connection, and the peer sees a reset', async () => {
      const { dialer, listener, raw } = await pair()
      const ended = drain(listener.connection)
      dialer.connection.abort(new Error('giving up'))

      expect(dialer.connection.status).to.equal('aborted')
      expect(await closed(raw[0])).to.equal('aborted')
      expect(await closed(raw[1])).to.equal('reset')
      const { error } = await within(2_000, ended)
      expect(error?.name).to.equal('StreamResetError')
      expect(listener.connection.status).to.equal('reset')
    })
  })
})
