// The writes of one turn of the event loop leave the socket in one `writev`: a muxer writes each small
// frame on its own, and each socket write would be a system call. Counted on the socket's own
// `_write` / `_writev` (what Node's Writable calls per system-call batch); nothing here is timed.
import { defaultLogger } from '@libp2p/logger'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_INACTIVITY_TIMEOUT } from '../src/index.js'
import { toMultiaddrConnection } from '../src/socket-to-conn.js'
import { socketPair, waitFor } from './fixtures/net.js'
import type { SocketPair } from './fixtures/net.js'
import type { MultiaddrConnection } from '@libp2p/interface'
import type { Socket } from 'node:net'

function wrap (socket: Socket, direction: 'inbound' | 'outbound'): MultiaddrConnection {
  return toMultiaddrConnection({
    socket,
    direction,
    log: defaultLogger().forComponent(`test:${direction}`),
    inactivityTimeout: DEFAULT_INACTIVITY_TIMEOUT,
    closeTimeout: DEFAULT_CLOSE_TIMEOUT
  })
}

/** Counts the socket's write batches: `_write` for one chunk, `_writev` for several at once. */
function countWrites (socket: Socket): { writes: number, writevs: number[] } {
  const counts = { writes: 0, writevs: [] as number[] }
  const internals = socket as unknown as { _write: (...args: any[]) => void, _writev: (chunks: unknown[], ...rest: any[]) => void }
  const write = internals._write.bind(socket)
  const writev = internals._writev.bind(socket)
  internals._write = (...args) => { counts.writes++; write(...args) }
  internals._writev = (chunks, ...rest) => { counts.writevs.push(chunks.length); writev(chunks, ...rest) }
  return counts
}

async function nextTurn (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

/** Everything the server end receives, as it arrives. */
function collect (socket: Socket): Uint8ArrayList {
  const received = new Uint8ArrayList()
  socket.on('data', (data: Buffer) => { received.append(data) })
  return received
}

describe('socket writes: one writev per turn of the event loop', function () {
  this.timeout(20_000)

  let pair: SocketPair

  beforeEach(async () => {
    pair = await socketPair()
  })

  afterEach(async () => {
    await pair.close()
  })

  it('three sends in one turn leave in one writev of three chunks, before the next turn, and arrive in order', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const counts = countWrites(pair.client)
    const received = collect(pair.server)

    outbound.send(Uint8Array.of(1))
    outbound.send(new Uint8ArrayList(Uint8Array.of(2, 3), Uint8Array.of(4)))
    expect(counts, 'nothing written while the turn runs').to.deep.equal({ writes: 0, writevs: [] })

    await nextTurn()
    expect(counts).to.deep.equal({ writes: 0, writevs: [3] })

    await waitFor(() => received.byteLength === 4)
    expect([...received.subarray()]).to.deep.equal([1, 2, 3, 4])
  })

  it('a lone send is one write, out before the next turn', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const counts = countWrites(pair.client)

    outbound.send(Uint8Array.of(7))
    await nextTurn()

    expect(counts).to.deep.equal({ writes: 1, writevs: [] })
  })

  it('sends in separate turns are separate writes: nothing waits for a later send', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const counts = countWrites(pair.client)

    for (const byte of [1, 2, 3]) {
      outbound.send(Uint8Array.of(byte))
      await nextTurn()
    }

    expect(counts).to.deep.equal({ writes: 3, writevs: [] })
  })

  it('close() in the same turn as the sends sends them first, then the FIN', async () => {
    const outbound = wrap(pair.client, 'outbound')
    const received = collect(pair.server)
    const ended = new Promise(resolve => pair.server.once('end', resolve))
    pair.server.on('end', () => { pair.server.end() })

    outbound.send(Uint8Array.of(1, 2))
    outbound.send(Uint8Array.of(3))
    const closing = outbound.close()

    await ended
    expect([...received.subarray()]).to.deep.equal([1, 2, 3])
    await closing
    expect(outbound.status).to.equal('closed')
  })
})
