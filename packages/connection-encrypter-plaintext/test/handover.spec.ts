/**
 * The hand-over from the Exchange to the next layer: bytes a peer sends
 * straight after its Exchange, and the end of the connection that follows
 * them, reach whoever reads the secured connection, whatever reads they came
 * in (the defect SECIO had: the bytes read past the handshake were unshifted
 * onto the raw stream, which refuses an ended one).
 */
import { randomBytes } from 'node:crypto'
import { createServer, connect } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair, streamPair } from '@libp2p/utils'
import { socketToMultiaddrConnection } from '@uplink/tcp'
import { expect } from 'chai'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { createEncrypter, frame, specExchange } from './utils.js'
import type { MessageStream, PrivateKey } from '@libp2p/interface'
import type { AddressInfo, Server, Socket } from 'node:net'

type Role = 'listener' | 'dialer'

/** The fake peer's end: what it read of our Exchange, and how it sends its bytes then closes. */
interface FakeEnd {
  /** Resolves once at least `length` bytes of ours have arrived. */
  received(length: number): Promise<void>
  /** Sends each piece in its own write, then closes its side. */
  sendAndClose(pieces: Uint8Array[]): Promise<void>
}

interface Pair {
  uplink: MessageStream
  fake: FakeEnd
  close(): Promise<void>
}

/** Counts what arrives on the fake's end. */
function arrivals (): { add(bytes: number): void, received(length: number): Promise<void> } {
  let total = 0
  const waiting: Array<{ length: number, resolve(): void }> = []

  return {
    add (bytes) {
      total += bytes
      for (const wait of waiting.filter(w => w.length <= total)) wait.resolve()
    },
    async received (length) {
      if (total >= length) return
      return new Promise(resolve => { waiting.push({ length, resolve }) })
    }
  }
}

/** Uplink's end and the fake's end of an in-memory pair: a MultiaddrConnection, or a muxed stream (which can half-close). */
async function memoryPair (kind: 'connection' | 'stream'): Promise<Pair> {
  const [uplink, fakeRaw]: MessageStream[] = kind === 'connection' ? multiaddrConnectionPair() : await streamPair()
  const counted = arrivals()
  fakeRaw.addEventListener('message', (evt) => { counted.add(evt.data.byteLength) })

  return {
    uplink,
    fake: {
      received: counted.received,
      async sendAndClose (pieces) {
        for (const piece of pieces) fakeRaw.send(piece)
        await fakeRaw.close()
      }
    },
    async close () {
      fakeRaw.abort(new Error('test over'))
    }
  }
}

/** Uplink's end of a real TCP connection (as @uplink/tcp wraps it), and a bare socket as the fake's end. */
async function tcpPair (role: Role): Promise<Pair> {
  const server: Server = createServer({ allowHalfOpen: true })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const accepted = new Promise<Socket>(resolve => server.once('connection', resolve))
  const dialed = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
  await new Promise<void>((resolve, reject) => dialed.once('connect', resolve).once('error', reject))
  const acceptedSocket = await accepted
  const [uplinkSocket, fakeSocket] = role === 'dialer' ? [dialed, acceptedSocket] : [acceptedSocket, dialed]
  uplinkSocket.setNoDelay(true)
  fakeSocket.setNoDelay(true)
  const counted = arrivals()
  fakeSocket.on('data', (buf: Buffer) => { counted.add(buf.byteLength) })
  fakeSocket.on('error', () => {})

  return {
    uplink: socketToMultiaddrConnection(uplinkSocket, { direction: role === 'dialer' ? 'outbound' : 'inbound' }),
    fake: {
      received: counted.received,
      async sendAndClose (pieces) {
        const last = pieces.length - 1
        // each piece its own write, and the FIN with the last one, so the
        // data and the end can reach Uplink in the same read as the Exchange
        pieces.forEach((piece, i) => i === last ? fakeSocket.end(piece) : fakeSocket.write(piece))
      }
    },
    async close () {
      fakeSocket.destroy()
      uplinkSocket.destroy()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

/** Everything a stream yields until it ends, and the error it ended with, if any. */
async function drain (stream: MessageStream): Promise<{ data: Uint8Array, error?: any }> {
  const chunks: Uint8Array[] = []

  try {
    for await (const chunk of stream) chunks.push(chunk.subarray().slice())
    return { data: uint8ArrayConcat(chunks) }
  } catch (error) {
    return { data: uint8ArrayConcat(chunks), error }
  }
}

/** Fails a hung test by name rather than at mocha's timeout. */
async function within <T> (ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined

  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(Object.assign(new Error(`${what} did not settle within ${ms} ms`), { name: 'HangError' })) }, ms)
    })])
  } finally {
    clearTimeout(timer)
  }
}

describe('plaintext hand-over from the Exchange to the next layer', function () {
  this.timeout(30_000)
  let uplinkKey: PrivateKey
  let fakeKey: PrivateKey

  before(async () => {
    [uplinkKey, fakeKey] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
  })

  const shapes: Record<string, (exchange: Uint8Array, data: Uint8Array[]) => Uint8Array[]> = {
    'in one write': (exchange, data) => [uint8ArrayConcat([exchange, ...data])],
    'in pieces (the Exchange split, the data in its own writes)': (exchange, data) => [exchange.subarray(0, 3), exchange.subarray(3), ...data]
  }
  const links: Record<string, (role: Role) => Promise<Pair>> = {
    'over TCP': tcpPair,
    'over an in-memory connection pair': async () => memoryPair('connection'),
    'over a muxed stream (the peer half-closes)': async () => memoryPair('stream')
  }

  /** A peer that answers Uplink's Exchange, or one whose bytes and end are all in before Uplink starts (a half-closed stream still takes our Exchange). */
  const timings = ['answering', 'first'] as const

  for (const [link, makePair] of Object.entries(links)) {
    for (const role of ['listener', 'dialer'] as const) {
      for (const [shape, cut] of Object.entries(shapes)) {
        for (const timing of timings) {
          if (timing === 'first' && !link.includes('stream')) continue

          const when = timing === 'first' ? ', all before Uplink starts its handshake' : ''

          it(`${link}, Uplink as the ${role}: a peer that sends its Exchange and data ${shape}, then closes${when}, is read whole, then ends cleanly`, async () => {
            const pair = await makePair(role)
            const data = [randomBytes(1_000), randomBytes(70_000)]
            const theirs = cut(frame(specExchange(fakeKey.publicKey)), data)

            try {
              if (timing === 'first') {
                const ended = new Promise(resolve => { pair.uplink.addEventListener('remoteCloseWrite', resolve, { once: true }) })
                await pair.fake.sendAndClose(theirs)
                await within(10_000, ended, 'the peer\'s end')
              }

              const encrypter = createEncrypter(uplinkKey)
              const signal = AbortSignal.timeout(10_000)
              const secured = role === 'listener'
                ? encrypter.secureInbound(pair.uplink, { signal })
                : encrypter.secureOutbound(pair.uplink, { signal, remotePeer: peerIdFromPrivateKey(fakeKey) })

              if (timing === 'answering') {
                // Uplink's own Exchange first, so the fake answers a handshake already under way
                await pair.fake.received(frame(specExchange(uplinkKey.publicKey)).byteLength)
                await pair.fake.sendAndClose(theirs)
              }

              const { connection, remotePeer } = await within(15_000, secured, 'the handshake')
              expect(remotePeer.equals(peerIdFromPrivateKey(fakeKey))).to.equal(true)
              const { data: read, error } = await within(15_000, drain(connection), 'reading the secured connection')
              expect(error).to.equal(undefined)
              expect(read.byteLength).to.equal(71_000)
              expect(Buffer.from(read).equals(Buffer.concat(data))).to.equal(true)
            } finally {
              await pair.close()
            }
          })
        }
      }
    }
  }

  for (const role of ['listener', 'dialer'] as const) {
    it(`Uplink as the ${role}: a peer that sends its Exchange and data, then resets the connection, is read whole, then the reader gets StreamResetError`, async () => {
      const [uplink, fakeRaw] = multiaddrConnectionPair()
      const encrypter = createEncrypter(uplinkKey)
      const signal = AbortSignal.timeout(10_000)
      const secured = role === 'listener'
        ? encrypter.secureInbound(uplink, { signal })
        : encrypter.secureOutbound(uplink, { signal, remotePeer: peerIdFromPrivateKey(fakeKey) })
      const data = randomBytes(5_000)
      fakeRaw.send(uint8ArrayConcat([frame(specExchange(fakeKey.publicKey)), data]))
      fakeRaw.abort(new Error('the peer goes away'))

      const { connection } = await within(15_000, secured, 'the handshake')
      const { data: read, error } = await within(15_000, drain(connection), 'reading the secured connection')
      expect(Buffer.from(read).equals(data)).to.equal(true)
      expect(error?.name).to.equal('StreamResetError')
    })
  }

  it('closing the secured connection closes the raw one, after what was written on it', async () => {
    const [uplink, fakeRaw] = multiaddrConnectionPair()
    const counted = arrivals()
    fakeRaw.addEventListener('message', (evt) => { counted.add(evt.data.byteLength) })
    const secured = createEncrypter(uplinkKey).secureInbound(uplink, { signal: AbortSignal.timeout(10_000) })
    fakeRaw.send(frame(specExchange(fakeKey.publicKey)))
    const { connection } = await within(15_000, secured, 'the handshake')
    const ours = frame(specExchange(uplinkKey.publicKey)).byteLength

    connection.send(new Uint8Array(10_000))
    await within(10_000, connection.close(), 'the close')
    await within(10_000, counted.received(ours + 10_000), 'the bytes written before the close')
    expect(uplink.status).to.equal('closed')
    expect(connection.status).to.equal('closed')
  })
})
