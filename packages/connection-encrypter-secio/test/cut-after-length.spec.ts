// Found by the fuzzer (secio/sealed-frames, secio/data-live): a connection that ends right after a
// frame's 4-byte length prefix ended the reader CLEANLY, because the decoder counted the prefix it
// had already consumed as nothing pending. A cut inside a frame, header included, is a truncated
// transfer: the frames before it are delivered, then an UnexpectedEOFError.
import { expect } from 'chai'
import { FrameDecoder } from '../src/framing/frame-decoder.js'
import { againstFake, closed, drain, prefix, within } from './fixtures/hostile-peer.js'

describe('a connection cut right after a frame\'s length prefix', () => {
  it('the decoder counts a consumed length prefix as pending', () => {
    const decoder = new FrameDecoder({ min: 32, max: 1024 })
    expect(decoder.push(prefix(48)).frames).to.deep.equal([])
    expect(decoder.pending).to.equal(4)
    decoder.push(new Uint8Array(10))
    expect(decoder.pending).to.equal(14)
    decoder.push(new Uint8Array(38))
    expect(decoder.pending).to.equal(0)
  })

  it('the reader gets the frame before it, then UnexpectedEOFError', async () => {
      const { fake, secured, raw, fakeRaw } = await againstFake()
      const reading = drain(secured.connection)
      const message = new TextEncoder().encode('the last whole frame')

      await fake.writeRaw(fake.seal(message), prefix(64))
      await fakeRaw.close()

      const { data, error } = await within(5_000, reading, 'the reader')
      expect(Buffer.from(data).toString()).to.equal('the last whole frame')
      expect(error?.name).to.equal('UnexpectedEOFError')
      expect(await closed(raw)).to.not.equal('open')
  })
})
