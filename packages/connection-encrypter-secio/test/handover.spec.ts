/**
 * The handshake's hand-over to the secured stream: data frames that arrive
 * in the same read as the peer's nonce frame, and the raw stream's end that
 * arrives with them, reach the reader as if they had come later. (Found by
 * `fuzz-live-handshake.spec.ts`: the handshake failed with StreamStateError
 * and the bytes were lost.)
 */
import { randomBytes } from 'node:crypto'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { FakePeer, drain } from './fixtures/hostile-peer.js'
import { encrypter, peer } from './fixtures/peers.js'

describe('secio hand-over from the handshake to the secured stream', function () {
  this.timeout(20_000)

  for (const role of ['listener', 'dialer'] as const) {
    it(`as the ${role}: a peer that sends its nonce frame and two data frames in one write, then closes, is read whole, then ends cleanly`, async () => {
      const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
      const [raw, fakeRaw] = multiaddrConnectionPair()
      const fake = new FakePeer(fakeRaw, { privateKey: fakeIdentity.privateKey })
      const secio = encrypter(uplink)
      const signal = AbortSignal.timeout(10_000)
      const secured = role === 'listener'
        ? secio.secureInbound(raw, { signal })
        : secio.secureOutbound(raw, { signal, remotePeer: fakeIdentity.peerId })

      await fake.upToKeys()
      await fake.readNonceFrame()
      const [first, second] = [randomBytes(1_000), randomBytes(70_000)]
      await fake.writeRaw(new Uint8ArrayList(fake.nonceFrame(), fake.seal(first), fake.seal(second)))
      await fakeRaw.close()

      const { connection } = await secured
      const { data, error } = await drain(connection)
      expect(error).to.equal(undefined)
      expect(Buffer.from(data).equals(Buffer.concat([first, second]))).to.equal(true)
    })
  }

  it('a peer that closes one byte into the data frame that came with its nonce frame: the handshake succeeds and the reader gets UnexpectedEOFError, not a clean end', async () => {
    const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
    const [raw, fakeRaw] = multiaddrConnectionPair()
    const fake = new FakePeer(fakeRaw, { privateKey: fakeIdentity.privateKey })
    const secured = encrypter(uplink).secureInbound(raw, { signal: AbortSignal.timeout(10_000) })

    await fake.upToKeys()
    await fake.readNonceFrame()
    await fake.writeRaw(new Uint8ArrayList(fake.nonceFrame(), fake.seal(randomBytes(100)).subarray(0, 5)))
    await fakeRaw.close()

    const { connection } = await secured
    const { data, error } = await drain(connection)
    expect(data.byteLength).to.equal(0)
    expect(error?.name).to.equal('UnexpectedEOFError')
  })
})
