/**
 * The secured stream's buffers, backpressure and ending: every decrypted byte
 * reaches the reader in order and only then the end or the error, also when
 * the reader pauses, has not attached yet, or falls behind; buffers stay
 * bounded by pausing the raw connection; close() and abort() have one outcome;
 * an error from below stays reachable as `cause`.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_FRAME_LENGTH } from '../src/constants.js'
import { againstFake, closed, drain, receive, rejectionOf, within } from './fixtures/hostile-peer.js'
import { encrypter, handshake, peer } from './fixtures/peers.js'
import type { Handshaken } from './fixtures/peers.js'
import type { MessageStream, StreamCloseEvent } from '@libp2p/interface'

const MiB = 1024 * 1024
const MAC = 32
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

async function pair (): Promise<Handshaken> {
  const [alice, bob] = await Promise.all([peer(), peer()])
  return handshake(encrypter(alice), encrypter(bob), bob.peerId)
}

/** `readStatus` is not on the MessageStream interface, but every stream here is an AbstractMessageStream. */
function readStatus (stream: MessageStream): string {
  return (stream as unknown as { readStatus: string }).readStatus
}

/**
 * In-memory pairs stop the sender the moment the receiver pauses; over TCP (or
 * a muxed stream) bytes already in flight still arrive. A raw connection may
 * ignore pause() (the interface says "if the underlying resource supports
 * it"), which puts those bytes in front of a paused secured stream.
 */
function cannotPause (raw: MessageStream): void {
  raw.pause = () => {}
  raw.resume = () => {}
}

function closeEvent (stream: MessageStream): Promise<StreamCloseEvent> {
  return new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
}

/** Sends without waiting for drain: whatever the receiver does not take stays in the sender's buffers. */
function flood (stream: MessageStream, data: Uint8Array, chunk = 256 * 1024): void {
  for (let offset = 0; offset < data.byteLength; offset += chunk) stream.send(data.subarray(offset, offset + chunk))
}

describe('secio stream lifecycle', function () {
  this.timeout(60_000)

  describe('every byte, in order, then the end or the error', () => {
    // Regression: drainThenFail ended on `close` while paused bytes waited, then hung once they were resumed.
    it('a paused reader whose peer closes: iteration (started after the close) yields every byte after resume(), then ends cleanly', async () => {
      const { dialer, listener, raw } = await pair()
      cannotPause(raw[1])
      listener.connection.pause()
      const data = randomBytes(300_000)
      flood(dialer.connection, data, 64 * 1024)
      await within(5_000, dialer.connection.close())
      await sleep(20)

      const ended = drain(listener.connection)
      listener.connection.resume()
      const { data: got, error } = await within(5_000, ended)
      expect(error).to.equal(undefined)
      expect(Buffer.from(got).equals(data)).to.equal(true)
    })

    it('a reader that pauses and resumes inside its loop while the peer sends 8 MiB and closes gets all of it, in order', async () => {
      const { dialer, listener } = await pair()
      const data = randomBytes(8 * MiB)
      const chunks: Uint8Array[] = []

      const reading = (async () => {
        let i = 0
        for await (const chunk of listener.connection) {
          chunks.push(chunk.subarray().slice())
          if (++i % 3 === 0) {
            listener.connection.pause()
            setTimeout(() => { listener.connection.resume() }, 5)
          }
        }
      })()

      flood(dialer.connection, data)
      await within(20_000, dialer.connection.close())
      await within(20_000, reading)
      expect(Buffer.from(Buffer.concat(chunks)).equals(data)).to.equal(true)
    })

    // Regression: abort() threw away the bytes a paused reader had not taken yet ('one;two;' was lost).
    it('a MAC failure while the reader is paused: the raw connection closes at once, the frames before it still arrive on resume(), then MacMismatchError', async () => {
      const { fake, secured, raw } = await againstFake()
      cannotPause(raw)
      secured.connection.pause()
      // sealed in wire order: the keystream runs on
      const good = [fake.seal(text('one;')), fake.seal(text('two;'))]
      const bad = fake.seal(text('three;')).subarray().slice()
      bad[5] = (bad[5] ?? 0) ^ 0x01
      await fake.writeRaw(new Uint8ArrayList(...good, bad))
      expect(await closed(raw), 'the peer is reset without waiting for the reader').to.equal('aborted')

      const ended = drain(secured.connection)
      secured.connection.resume()
      const { data, error } = await within(2_000, ended)
      expect(str(data)).to.equal('one;two;')
      expect(error?.name).to.equal('MacMismatchError')
    })

    it('a reader that attaches only after a failure gets the bytes before it, then the error', async () => {
      const { fake, secured } = await againstFake()
      // no reader yet: the secured stream keeps what it decrypted
      await fake.writeRaw(fake.seal(text('early;')), new Uint8Array([0xff, 0xff, 0xff, 0xff]))
      await sleep(50)

      const { data, error } = await within(2_000, drain(secured.connection))
      expect(str(data)).to.equal('early;')
      expect(error?.name).to.equal('InvalidFrameLengthError')
    })
  })

  describe('bounded buffers, with backpressure instead of growth', () => {
    // Regression: the read buffer limit was the raw connection's 4 MiB, below the 8 MiB frames SECIO accepts.
    it('one maximum-size frame (8 MiB) arriving while the reader is paused does not abort the stream (raw connection that cannot pause)', async () => {
      const { fake, secured, raw } = await againstFake()
      cannotPause(raw)
      secured.connection.pause()
      const big = randomBytes(DEFAULT_MAX_FRAME_LENGTH - MAC)
      // (if the stream aborts, the reset reaches the fake's write: the status below says so)
      await fake.writeRaw(fake.seal(big)).catch(() => {})
      await sleep(200)
      expect(secured.connection.status).to.equal('open')

      const got = receive(secured.connection, big.byteLength)
      secured.connection.resume()
      expect(Buffer.from(await got).equals(big)).to.equal(true)
    })

    // Regression: with no reader attached, decrypted bytes piled up until StreamBufferError aborted the stream.
    it('a stream nobody reads yet pauses its raw connection instead of buffering: the sender is held back, nothing is lost', async () => {
      const { dialer, listener, raw } = await pair()
      const data = randomBytes(24 * MiB)
      flood(dialer.connection, data)
      await sleep(500)

      expect(listener.connection.status, 'not aborted').to.equal('open')
      expect(readStatus(raw[1]), 'the raw connection is paused').to.equal('paused')
      expect(listener.connection.readBufferLength, 'bounded').to.be.at.most(DEFAULT_MAX_FRAME_LENGTH + raw[1].maxReadBufferLength)
      expect(dialer.connection.writeBufferLength, 'the rest waits at the sender').to.be.greaterThan(0)

      expect(Buffer.from(await receive(listener.connection, data.byteLength)).equals(data)).to.equal(true)
    })

    // Regression: the iterator's queue grew without bound and never paused the source.
    it('an async iterator that stops pulling holds a bounded amount: the raw connection is paused and the sender keeps the rest', async () => {
      const { dialer, listener, raw } = await pair()
      const iterator = listener.connection[Symbol.asyncIterator]()
      dialer.connection.send(text('hello'))
      const first = await within(2_000, iterator.next())
      expect(str((first.value as Uint8Array | Uint8ArrayList).subarray())).to.equal('hello')

      // the reader now stops pulling while 32 MiB are sent
      const data = randomBytes(32 * MiB)
      flood(dialer.connection, data)
      await sleep(1_000)

      expect(readStatus(raw[1]), 'the raw connection is paused').to.equal('paused')
      const atSender = dialer.connection.writeBufferLength + raw[0].writeBufferLength
      expect(atSender, 'most of it is still at the sender').to.be.greaterThan(16 * MiB)
      expect(listener.connection.status).to.equal('open')

      const chunks: Uint8Array[] = []
      for (let total = 0; total < data.byteLength;) {
        const next = await within(10_000, iterator.next())
        if (next.done === true) break
        chunks.push(next.value.subarray().slice())
        total += next.value.byteLength
      }
      await iterator.return?.(undefined)
      expect(Buffer.from(Buffer.concat(chunks)).equals(data)).to.equal(true)
    })
  })

  describe('close() and abort() share one outcome', () => {
    // Regression: a second close() returned at once, while the first was still flushing.
    it('a second close() settles only when the first has finished and the raw connection is closed', async () => {
      const { dialer, listener, raw } = await pair()
      listener.connection.pause()
      flood(dialer.connection, randomBytes(8 * MiB))

      let firstDone = false
      const first = dialer.connection.close().then(() => { firstDone = true })
      const second = dialer.connection.close()
      await sleep(100)
      listener.connection.resume()
      drain(listener.connection).catch(() => {})

      await within(10_000, second)
      expect(firstDone, 'the first close() had finished').to.equal(true)
      expect(await closed(raw[0]), 'the raw connection').to.equal('closed')
      await first
    })

    it('abort() during close(): every pending close() rejects with the abort\'s error', async () => {
      const { dialer, listener } = await pair()
      listener.connection.pause()
      flood(dialer.connection, randomBytes(8 * MiB))

      const closes = [dialer.connection.close(), dialer.connection.close()]
      await sleep(50)
      const reason = new Error('giving up')
      reason.name = 'GivingUpError'
      dialer.connection.abort(reason)

      for (const closing of closes) expect(await rejectionOf(closing)).to.equal(reason)
      expect(dialer.connection.status).to.equal('aborted')
    })

    it('close() after the stream has closed resolves at once', async () => {
      const { dialer } = await pair()
      await dialer.connection.close()
      await within(1_000, dialer.connection.close())
    })
  })

  describe('an error from below stays reachable', () => {
    // Regression: the close event carried a new, bare StreamResetError and the raw connection's error was lost.
    it('the peer resets the raw connection: StreamResetError whose cause is the raw connection\'s own error', async () => {
      const { fake, secured, raw } = await againstFake()
      const rawClosed = closeEvent(raw)
      const securedClosed = closeEvent(secured.connection)
      fake.raw.abort(new Error('the peer went away'))

      const [below, above] = await within(2_000, Promise.all([rawClosed, securedClosed]))
      expect(below.error).to.not.equal(undefined)
      expect(above.error?.name).to.equal('StreamResetError')
      expect((above.error as Error & { cause?: unknown }).cause).to.equal(below.error)
    })

    it('the raw connection fails locally (e.g. a socket error): the secured stream ends with that same error', async () => {
      const { secured, raw } = await againstFake()
      const securedClosed = closeEvent(secured.connection)
      const failure = new Error('socket error')
      failure.name = 'TCPSocketError'
      raw.abort(failure)
      expect((await within(2_000, securedClosed)).error).to.equal(failure)
    })
  })
})
