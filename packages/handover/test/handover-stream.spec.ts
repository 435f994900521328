/**
 * The hand-over's two promises on its own (the plaintext and upgrader specs
 * hold their layers to them): bytes read past a handshake come first, and an
 * end of the raw stream that came before the next layer attached is told
 * after them rather than lost.
 */
import { streamPair } from '@libp2p/utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { handoverStream, streamEnded } from '../src/index.js'
import type { MessageStream } from '@libp2p/interface'

async function readAll (stream: MessageStream): Promise<Uint8Array> {
  const read = new Uint8ArrayList()
  for await (const chunk of stream) read.append(chunk)
  return read.subarray()
}

describe('handoverStream', () => {
  it('a raw stream whose remote half-closed before the hand-over: the leftover, then a clean end rather than a reader left waiting', async () => {
    const [raw, remote] = await streamPair()
    const ended = new Promise(resolve => { raw.addEventListener('remoteCloseWrite', resolve, { once: true }) })
    // someone reads the raw stream meanwhile, as a handshake does, so its end is told now
    raw.addEventListener('message', () => {})
    remote.send(Uint8Array.of(4, 5))
    await remote.close()
    await ended
    expect(streamEnded(raw)).to.equal(true)

    const handed = handoverStream(raw, new Uint8ArrayList(Uint8Array.of(1, 2, 3)), { logScope: 'test' })
    expect([...await readAll(handed)]).to.deep.equal([1, 2, 3])
    expect(handed.status).to.equal('open', 'our writable half is still ours to close')
  })

  it('an open raw stream is not ended, and bytes it receives after the hand-over follow the leftover', async () => {
    const [raw, remote] = await streamPair()
    expect(streamEnded(raw)).to.equal(false)

    const handed = handoverStream(raw, new Uint8ArrayList(Uint8Array.of(1)), { logScope: 'test' })
    const reading = readAll(handed)
    remote.send(Uint8Array.of(2, 3))
    await remote.close()
    expect([...await reading]).to.deep.equal([1, 2, 3])
  })

  it('writes go to the raw stream', async () => {
    const [raw, remote] = await streamPair()
    const handed = handoverStream(raw, new Uint8ArrayList(), { logScope: 'test' })
    const reading = readAll(remote)
    handed.send(Uint8Array.of(9, 8))
    await handed.close()
    expect([...await reading]).to.deep.equal([9, 8])
  })

  it('a writer waits for each drain of the raw stream, after the first one too', async () => {
    const [raw, remote] = await streamPair()
    const handed = handoverStream(raw, new Uint8ArrayList(), { logScope: 'test' })
    // the raw stream takes every write but always asks the writer to wait
    const send = raw.send.bind(raw)
    raw.send = (data) => { send(data); return false }
    const settled = new Set<number>()

    for (const round of [1, 2]) {
      expect(handed.send(Uint8Array.of(round))).to.equal(false)
      void handed.onDrain().then(() => settled.add(round))
      await new Promise(resolve => setTimeout(resolve, 20))
      expect(settled.has(round), `round ${round} before the drain`).to.equal(false)
      raw.dispatchEvent(new Event('drain'))
      await new Promise(resolve => setTimeout(resolve, 20))
      expect(settled.has(round), `round ${round} after the drain`).to.equal(true)
    }

    handed.abort(new Error('test over'))
    remote.abort(new Error('test over'))
  })
})
