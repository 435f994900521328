/**
 * What an idle secured connection pins of Node's buffer pool: nothing.
 * `Buffer.allocUnsafe` hands out views into shared 8 KiB slabs, and a slab
 * lives as long as any view into it: a 20-byte MAC key or a PeerId's digest
 * kept for the life of a connection, if it is such a view, costs that
 * connection up to a whole slab. (The bench's memory rows lost ≈ 6 KiB per
 * idle connection that way once the frames' staging buffers came from the
 * pool too: fewer of the kept views shared each slab.)
 *
 * Observed with weak references to every slab `Buffer.allocUnsafe` hands out
 * while connections are secured and used (the libraries under us allocate
 * through it too); then, with the connections open, a full collection must
 * free them all but the slab the pool is still filling.
 */
import { expect } from 'chai'
import { collected } from './fixtures/collect.js'
import { encrypter, handshake, peer } from './fixtures/peers.js'
import type { Handshaken } from './fixtures/peers.js'
import type { MessageStream } from '@libp2p/interface'

/**
 * Weak references to the pool slabs that `Buffer.allocUnsafe` hands out until
 * `stop()`, but the one the pool is filling now: it holds what was made before.
 */
function watchPoolSlabs (): { slabs: Array<WeakRef<ArrayBuffer>>, stop: () => void } {
  const allocUnsafe = Buffer.allocUnsafe
  const seen = new WeakSet<ArrayBufferLike>([allocUnsafe(1).buffer])
  const slabs: Array<WeakRef<ArrayBuffer>> = []

  Buffer.allocUnsafe = (size: number) => {
    const buffer = allocUnsafe(size)

    if (buffer.buffer.byteLength === Buffer.poolSize && !seen.has(buffer.buffer)) {
      seen.add(buffer.buffer)
      slabs.push(new WeakRef(buffer.buffer as ArrayBuffer))
    }

    return buffer
  }

  return { slabs, stop: () => { Buffer.allocUnsafe = allocUnsafe } }
}

/** Several small writes in one turn (they share a frame), answered the same way; resolves when all came back. */
async function chatter (from: MessageStream, to: MessageStream): Promise<void> {
  const writes = [13, 700, 40, 1500]
  const total = writes.reduce((sum, n) => sum + n, 0)
  let echoed = 0
  let received = 0

  const answered = new Promise<void>(resolve => {
    const echo = (evt: any): void => {
      received += evt.data.byteLength
      to.send(new Uint8Array(evt.data.byteLength).fill(2))
      if (received >= total) to.removeEventListener('message', echo)
    }
    const back = (evt: any): void => {
      echoed += evt.data.byteLength
      if (echoed >= total) {
        from.removeEventListener('message', back)
        resolve()
      }
    }
    to.addEventListener('message', echo)
    from.addEventListener('message', back)
  })

  for (const n of writes) from.send(new Uint8Array(n).fill(1))
  await answered
}

describe('secio: what an idle connection keeps of the buffer pool', function () {
  this.timeout(30_000)

  it('neither side keeps a view into a pool slab once secured and used', async () => {
    const encrypters = await Promise.all(Array.from({ length: 6 }, async () => [encrypter(await peer()), encrypter(await peer())] as const))
    const connections: Handshaken[] = []
    const watch = watchPoolSlabs()
    let filling: ArrayBufferLike

    try {
      for (const [dialer, listener] of encrypters) {
        const secured = await handshake(dialer, listener)
        await chatter(secured.dialer.connection, secured.listener.connection)
        await chatter(secured.listener.connection, secured.dialer.connection)
        connections.push(secured)
      }
    } finally {
      watch.stop()
      // the slab the pool is filling now is Node's to keep
      filling = Buffer.allocUnsafe(1).buffer
    }

    const others = watch.slabs.filter(slab => slab.deref() !== filling)
    expect(others.length, 'pool slabs handed out while securing').to.be.greaterThan(0)
    const freed = await collected(others)
    expect(others.length - freed, `pool slabs still alive of ${others.length}, with ${connections.length} idle pairs open`).to.equal(0)

    // still open and working: what was let go of was not needed
    for (const { dialer, listener } of connections) {
      await chatter(dialer.connection, listener.connection)
    }
    await Promise.all(connections.flatMap(({ dialer, listener }) => [dialer.connection.close(), listener.connection.close()]))
  })
})
