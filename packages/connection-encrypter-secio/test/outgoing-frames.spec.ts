/**
 * The first write of a turn of the event loop leaves at once as a frame; the
 * writes after it in that turn share one frame, sent on the next tick (a muxer
 * writes a header and message, a window update... apiece, and a frame each
 * cost a prefix, a MAC, an HMAC and a socket write apiece). Each test counts
 * frames on the dialer's raw connection and checks the bytes that arrive.
 * None of them times anything: turns are counted with setImmediate.
 */
import { randomBytes } from 'node:crypto'
import { echo } from '@libp2p/utils'
import { expect } from 'chai'
import { closed, drain, receive, recordWrites, splitFrames, within } from './fixtures/hostile-peer.js'
import { encrypter, handshake, peer } from './fixtures/peers.js'
import type { Handshaken } from './fixtures/peers.js'
import type { SecioInit } from '../src/index.js'

const MAC = 32

async function pair (init: SecioInit = {}): Promise<Handshaken> {
  const [alice, bob] = await Promise.all([peer(), peer()])
  return handshake(encrypter(alice, init), encrypter(bob, init), bob.peerId)
}

/** Resolves in the check phase of the event loop: after this turn's writes, and every I/O callback due, have run. */
async function nextTurn (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

const messages = (count: number, size: number): Uint8Array[] => Array.from({ length: count }, () => randomBytes(size))

describe('secio outgoing frames: a turn\'s writes after its first share a frame', function () {
  this.timeout(30_000)

  it('of 100 small writes in one turn, the first leaves alone and the 99 after it as one frame; all arrive as written, in order', async () => {
    const { dialer, listener, raw } = await pair()
    const wire = recordWrites(raw[0])
    const sent = messages(100, 5)
    const got = receive(listener.connection, 500)

    for (const message of sent) expect(dialer.connection.send(message)).to.equal(true)
    expect(Buffer.from(await got).equals(Buffer.concat(sent))).to.equal(true)

    const { frames, rest } = splitFrames(wire.bytes())
    expect(rest).to.equal(0)
    expect(frames.map(frame => frame.byteLength)).to.deep.equal([5 + MAC, 495 + MAC])
  })

  it('a lone write is not held: its frame is handed to the raw connection within send()', async () => {
    const { dialer, raw } = await pair()
    const wire = recordWrites(raw[0])

    dialer.connection.send(Uint8Array.of(1, 2, 3))

    expect(splitFrames(wire.bytes()).frames.map(frame => frame.byteLength)).to.deep.equal([3 + MAC])
  })

  it('the writes after the first are on the wire before the next turn of the event loop', async () => {
    const { dialer, raw } = await pair()
    const wire = recordWrites(raw[0])

    for (const size of [1, 2, 3]) dialer.connection.send(randomBytes(size))
    // after the running code (and its promise continuations), before any I/O or timer callback
    await nextTurn()

    expect(splitFrames(wire.bytes()).frames.map(frame => frame.byteLength)).to.deep.equal([1 + MAC, 5 + MAC])
  })

  it('writes in separate turns are separate frames: nothing waits for a later write', async () => {
    const { dialer, listener, raw } = await pair()
    const wire = recordWrites(raw[0])
    const got = receive(listener.connection, 30)

    for (const size of [10, 15, 5]) {
      dialer.connection.send(randomBytes(size))
      await nextTurn()
    }

    await got
    expect(splitFrames(wire.bytes()).frames.map(frame => frame.byteLength)).to.deep.equal([10 + MAC, 15 + MAC, 5 + MAC])
  })

  it('a turn that writes more than maxSendChunk is cut into frames of at most maxSendChunk', async () => {
    const { dialer, listener, raw } = await pair({ maxSendChunk: 1000 })
    const wire = recordWrites(raw[0])
    const sent = messages(20, 300)
    const got = receive(listener.connection, 6000)

    for (const message of sent) dialer.connection.send(message)
    expect(Buffer.from(await got).equals(Buffer.concat(sent))).to.equal(true)

    // the first write alone, then a frame is sent as soon as the next write would not fit in it (three 300-byte
    // writes), never over the limit; once the in-memory raw connection asks for a drain, the stream hands down what
    // queued in pieces of maxSendChunk
    const plaintexts = splitFrames(wire.bytes()).frames.map(frame => frame.byteLength - MAC)
    expect(plaintexts.slice(0, 2)).to.deep.equal([300, 900])
    expect(Math.max(...plaintexts)).to.be.at.most(1000)
    expect(plaintexts.reduce((sum, length) => sum + length, 0)).to.equal(6000)
  })

  it('close() right after writes sends them first, then the raw connection closes cleanly', async () => {
    const { dialer, listener, raw } = await pair()
    const wire = recordWrites(raw[0])
    const sent = messages(20, 50)
    const ended = drain(listener.connection)

    for (const message of sent) dialer.connection.send(message)
    await dialer.connection.close()

    const { data, error } = await within(10_000, ended)
    expect(error).to.equal(undefined)
    expect(Buffer.from(data).equals(Buffer.concat(sent))).to.equal(true)
    expect(splitFrames(wire.bytes()).frames.map(frame => frame.byteLength)).to.deep.equal([50 + MAC, 950 + MAC])
    expect(await closed(raw[0])).to.equal('closed')
  })

  it('close() right after three writes: the peer\'s echo of them still comes back (an in-memory pair drops what reaches a closing end)', async () => {
    const { dialer, listener } = await pair()
    echo(listener.connection).catch(() => {})
    const sent = messages(3, 24)
    const reading = drain(dialer.connection)

    for (const message of sent) dialer.connection.send(message)
    await dialer.connection.close()

    const { data, error } = await within(10_000, reading)
    expect(error).to.equal(undefined)
    expect(Buffer.from(data).equals(Buffer.concat(sent))).to.equal(true)
  })

  it('a frame sent on the next tick that finds the raw connection full makes the next write wait for its drain', async () => {
    const { dialer, listener, raw } = await pair()
    const rawSend = raw[0].send.bind(raw[0])
    let full = false
    // once full, the raw connection takes the bytes but asks us to wait, until its drain
    raw[0].send = (data) => { rawSend(data); return !full }
    const got = receive(listener.connection, 30)

    expect(dialer.connection.send(randomBytes(10)), 'the first write went out, the raw connection had room').to.equal(true)
    full = true
    expect(dialer.connection.send(randomBytes(10)), 'nothing sent yet for the second write').to.equal(true)
    await nextTurn()
    expect(dialer.connection.send(randomBytes(10)), 'the frame sent on the tick found the raw connection full').to.equal(false)
    expect(dialer.connection.writableNeedsDrain).to.equal(true)

    const drained = dialer.connection.onDrain()
    full = false
    raw[0].dispatchEvent(new Event('drain'))
    await within(5_000, drained, 'the drain to reach the writer')
    await got
    expect(dialer.connection.writableNeedsDrain).to.equal(false)
  })

  it('a write left waiting for the tick when the stream is aborted is dropped, not sent after the abort', async () => {
    const { dialer, raw } = await pair()
    const wire = recordWrites(raw[0])

    dialer.connection.send(randomBytes(10))
    dialer.connection.send(randomBytes(20))
    dialer.connection.abort(new Error('local abort'))
    await nextTurn()

    expect(splitFrames(wire.bytes()).frames.map(frame => frame.byteLength), 'only the first write reached the wire').to.deep.equal([10 + MAC])
    expect(await closed(raw[0])).to.equal('aborted')
  })

  it('what the turn wrote goes out when the raw connection says the remote closed its end, before it closes ours', async () => {
    const { dialer, raw } = await pair()
    const wire = recordWrites(raw[0])

    dialer.connection.send(randomBytes(10))
    dialer.connection.send(randomBytes(20))
    // a TCP socket does this on the remote's FIN, then closes: its listeners may still write, synchronously
    raw[0].dispatchEvent(new Event('remoteCloseWrite'))

    expect(splitFrames(wire.bytes()).frames.map(frame => frame.byteLength)).to.deep.equal([10 + MAC, 20 + MAC])
  })
})
