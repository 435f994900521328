import { randomBytes } from 'node:crypto'
import { defaultLogger } from '@libp2p/logger'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_INACTIVITY_TIMEOUT } from '../src/index.js'
import { toMultiaddrConnection } from '../src/socket-to-conn.js'
import { socketPair, waitFor } from './fixtures/net.js'
import type { SocketConnectionInit } from '../src/socket-to-conn.js'
import type { SocketPair } from './fixtures/net.js'
import type { MultiaddrConnection, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import type { Socket } from 'node:net'

function wrap (socket: Socket, direction: 'inbound' | 'outbound', options: Partial<SocketConnectionInit> = {}): MultiaddrConnection {
  return toMultiaddrConnection({
    socket,
    direction,
    log: defaultLogger().forComponent(`test:${direction}`),
    inactivityTimeout: DEFAULT_INACTIVITY_TIMEOUT,
    closeTimeout: DEFAULT_CLOSE_TIMEOUT,
    ...options
  })
}

describe('socket to MultiaddrConnection', function () {
  this.timeout(20_000)

  let pair: SocketPair

  beforeEach(async () => {
    pair = await socketPair()
  })

  afterEach(async () => {
    await pair.close()
  })

  it('takes the remote address from the socket', () => {
    const inbound = wrap(pair.server, 'inbound')

    expect(inbound.remoteAddr.toString()).to.equal(`/ip4/127.0.0.1/tcp/${pair.client.localPort}`)
    expect(inbound.direction).to.equal('inbound')
    expect(inbound.status).to.equal('open')
  })

  it('applies backpressure both ways, and a large write arrives intact', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const inbound = wrap(pair.server, 'inbound')
    // without socket.pause() every byte would land in the read buffer while
    // paused and the connection would be aborted once it passed this
    inbound.maxReadBufferLength = 1024 * 1024

    const data = randomBytes(16 * 1024 * 1024)
    const chunkSize = 64 * 1024
    let sawBackpressure = false

    inbound.pause()

    const sending = (async () => {
      for (let offset = 0; offset < data.byteLength; offset += chunkSize) {
        if (!outbound.send(data.subarray(offset, offset + chunkSize))) {
          sawBackpressure = true
          await outbound.onDrain()
        }
      }

      await outbound.close()
    })()

    // bytes reached the reader's socket and stayed there: the pause reached
    // the socket, and the writer is waiting for 'drain'. Had it not, the read
    // buffer limit would abort the reader instead
    await waitFor(() => inbound.status !== 'open' || (pair.server.readableLength > 0 && outbound.writableNeedsDrain))
    expect(inbound.readBufferLength).to.be.below(inbound.maxReadBufferLength)
    expect(inbound.status).to.equal('open')

    const received = new Uint8ArrayList()
    inbound.addEventListener('message', (evt: StreamMessageEvent) => {
      received.append(evt.data)
    })
    const ended = pEvent(inbound, 'close')
    inbound.resume()

    await Promise.all([sending, ended])

    expect(sawBackpressure).to.equal(true)
    expect(received.byteLength).to.equal(data.byteLength)
    expect(Buffer.compare(received.subarray(), data)).to.equal(0)
    expect(inbound.status).to.equal('closed')
    expect(outbound.status).to.equal('closed')
  })

  for (const [name, body] of [['small', 8], ['above the socket\'s high water mark', 256 * 1024]] as const) {
    it(`hands the pieces of one message to the socket as one writev (one syscall, one segment), in order: ${name}`, async () => {
      const outbound = wrap(pair.client, 'outbound')
      const inbound = wrap(pair.server, 'inbound')
      // what the socket is asked to write, per call of its Writable implementation
      const calls: number[] = []
      const socket = pair.client as Socket & { _write: (...args: any[]) => void, _writev: (...args: any[]) => void }
      const write = socket._write.bind(socket)
      const writev = socket._writev.bind(socket)
      socket._write = (chunk, encoding, cb) => { calls.push(1); write(chunk, encoding, cb) }
      socket._writev = (chunks: unknown[], cb) => { calls.push(chunks.length); writev(chunks, cb) }

      const received = new Uint8ArrayList()
      inbound.addEventListener('message', (evt: StreamMessageEvent) => { received.append(evt.data) })
      // a SECIO frame as the sealer makes it: length prefix, ciphertext, MAC
      const pieces = [Uint8Array.of(0, 0, 0, 40), randomBytes(body), randomBytes(32)]
      const more = outbound.send(new Uint8ArrayList(...pieces))
      // backpressure still says when the socket's queue is past its high water mark
      expect(more).to.equal(body < pair.client.writableHighWaterMark)
      await waitFor(() => received.byteLength === 36 + body)

      expect(calls).to.deep.equal([3])
      expect(received.subarray()).to.deep.equal(new Uint8ArrayList(...pieces).subarray())
      if (!more) await outbound.onDrain()
    })
  }

  it('keeps a writer waiting for every drain, not only the first (the onDrain it inherits stops waiting after one)', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const inbound = wrap(pair.server, 'inbound')
    inbound.maxReadBufferLength = 64 * 1024 * 1024
    inbound.pause()
    const chunk = randomBytes(64 * 1024)

    // one 64 KiB write is past the socket's high water mark; the kernel takes it, so the first drain comes
    expect(outbound.send(chunk)).to.equal(false)
    await outbound.onDrain()

    // 128 MiB more (one buffer, queued 2,048 times) while the reader is paused: far past what the
    // kernel's buffers take on loopback (tens of MiB at most), so no drain can come now
    for (let i = 0; i < 2048; i++) outbound.send(chunk)
    // once the socket holds what the kernel would not take, nothing drains until the reader reads
    await waitFor(() => pair.client.writableLength > 64 * 1024 * 1024)
    expect(outbound.writableNeedsDrain).to.equal(true)
    let drained = false
    const waiting = outbound.onDrain().then(() => { drained = true })
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(drained, 'onDrain resolved while nothing could drain').to.equal(false)

    let received = 0
    inbound.addEventListener('message', (evt: StreamMessageEvent) => { received += evt.data.byteLength })
    inbound.resume()
    await waiting
    await waitFor(() => received === 2049 * chunk.byteLength)
  })

  it('half-closes: the remote sees remoteCloseWrite and can still answer', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const inbound = wrap(pair.server, 'inbound')
    const answer = Uint8Array.from([7, 7, 7])

    inbound.addEventListener('remoteCloseWrite', () => {
      inbound.send(answer)
    })

    const received = new Uint8ArrayList()
    outbound.addEventListener('message', (evt: StreamMessageEvent) => {
      received.append(evt.data)
    })

    outbound.send(Uint8Array.from([1]))
    await outbound.close()

    expect(received.subarray()).to.deep.equal(answer)
    await waitFor(() => inbound.status === 'closed')
    expect(outbound.status).to.equal('closed')
    expect(outbound.timeline.close).to.be.a('number')
    expect(inbound.timeline.close).to.be.a('number')
  })

  it('destroys a socket whose remote never finishes closing, after the close timeout, and says so with a TimeoutError', async () => {
    const outbound = wrap(pair.client, 'outbound', { closeTimeout: 50 })
    const closed = pEvent<'close', StreamCloseEvent>(outbound, 'close')
    // the raw server end is half-open capable and never calls end()

    await outbound.close()

    expect(pair.client.destroyed).to.equal(true)
    expect(outbound.status).to.equal('aborted')
    expect((await closed).error).to.have.property('name', 'TimeoutError')
  })

  it('a remote still sending when the close timeout cuts it off is an error for the reader, never a clean end', async () => {
    const outbound = wrap(pair.client, 'outbound', { closeTimeout: 50 })
    const closed = pEvent<'close', StreamCloseEvent>(outbound, 'close')
    // the remote answers our FIN with a chunk every 10 ms and never finishes: whenever the close
    // timeout runs out, it is still sending
    // this test's own socket: `pair` is the next test's by the time the timer runs out
    const server = pair.server
    let remoteEnded = false
    server.once('end', () => {
      const timer = setInterval(() => {
        if (server.destroyed) { clearInterval(timer); return }
        server.write(new Uint8Array(1024))
      }, 10)
      server.once('close', () => { clearInterval(timer) })
    })
    outbound.addEventListener('remoteCloseWrite', () => { remoteEnded = true })

    await outbound.close()

    const event = await closed
    expect(event.error).to.have.property('name', 'TimeoutError')
    expect(remoteEnded).to.equal(false)
  })

  it('destroys a socket whose remote stops reading, after the close timeout', async () => {
    const outbound = wrap(pair.client, 'outbound', { closeTimeout: 50 })
    pair.server.pause()

    // far more than the kernel buffers hold, so the write queue never empties
    outbound.send(new Uint8Array(32 * 1024 * 1024))
    expect(outbound.writableNeedsDrain).to.equal(true)

    await outbound.close()

    expect(pair.client.destroyed).to.equal(true)
    // what was still queued never left: the close failed
    expect(outbound.status).to.equal('aborted')
  })

  it('the remote\'s half-close closes our side once everything queued is out (no close timeout cuts it), and a close() meanwhile waits for that', async () => {
    // a short close timeout that would cut the flush, were it applied once the remote has finished
    const outbound = wrap(pair.client, 'outbound', { closeTimeout: 1 })
    const got = new Uint8ArrayList()
    pair.server.on('data', (chunk: Buffer) => { got.append(chunk) })
    const queued = randomBytes(8 * 1024 * 1024)
    outbound.send(queued)

    pair.server.end()
    await waitFor(() => outbound.status !== 'open')
    await outbound.close()

    // close() resolved only once the queued bytes were out and the socket closed
    expect(pair.client.destroyed).to.equal(true)
    await waitFor(() => got.byteLength === queued.byteLength)
    expect(outbound.status).to.equal('closed')
  })

  it('resets the socket on abort, which the remote sees as a reset', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const inbound = wrap(pair.server, 'inbound')
    const remoteClosed = pEvent<'close', StreamCloseEvent>(inbound, 'close')

    outbound.abort(new Error('local failure'))

    expect(outbound.status).to.equal('aborted')
    expect(pair.client.destroyed).to.equal(true)
    const evt = await remoteClosed
    expect(inbound.status).to.equal('reset')
    expect(evt.error?.name).to.equal('StreamResetError')
  })

  it('aborts with a named error, keeping the cause, when the socket fails', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const closed = pEvent<'close', StreamCloseEvent>(outbound, 'close')
    const cause = Object.assign(new Error('boom'), { code: 'EPIPE' })

    pair.client.destroy(cause)

    const evt = await closed
    expect(outbound.status).to.equal('aborted')
    expect(evt.error?.name).to.equal('TCPSocketError')
    expect(evt.error?.cause).to.equal(cause)
    expect(evt.error).to.have.property('code', 'EPIPE')
  })

  it('aborts with a TimeoutError after the inactivity timeout', async () => {
    const outbound = wrap(pair.client, 'outbound', { inactivityTimeout: 50 })
    const evt = await pEvent<'close', StreamCloseEvent>(outbound, 'close')

    expect(evt.error?.name).to.equal('TimeoutError')
    expect(outbound.status).to.equal('aborted')
    expect(pair.client.destroyed).to.equal(true)
  })

  it('refuses to wrap a socket that has already closed', () => {
    pair.server.destroy()

    expect(() => wrap(pair.server, 'inbound')).to.throw().with.property('name', 'InvalidParametersError')
  })
})
