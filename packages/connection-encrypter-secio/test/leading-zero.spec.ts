/**
 * The leading-zero wait (see `src/handshake/confirm.ts`): when the ECDH secret
 * starts with a zero byte, the side that lost the order waits up to
 * `leadingZeroWait` for the peer's nonce frame to learn which width the peer
 * keyed with. These tests pin the ephemeral keys and nonces so that case
 * happens every time, then deliver the peer's nonce frame split across the
 * end of the wait: the wait may cut only the 4-byte header read short, never
 * leave half a frame behind.
 */
import { createECDH, randomBytes } from 'node:crypto'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { FakePeer, receive, rejectionOf, within } from './fixtures/hostile-peer.js'
import { ephemeralKeyOf } from '../src/handshake/secret.js'
import { encrypter, peer } from './fixtures/peers.js'
import { orderFor } from './fixtures/wire.js'
import type { Peer } from './fixtures/peers.js'
import type { EphemeralKeyFactory } from '../src/handshake/secret.js'
import type { SecioTestHooks } from '../src/secio.js'
import type { ECDH } from 'node:crypto'

const WAIT = 100
/** Long enough past WAIT that the wait has certainly ended before the rest of the frame is sent. */
const PAST_THE_WAIT = 3 * WAIT

function ephemeralFrom (ecdh: ECDH): EphemeralKeyFactory {
  return async () => ephemeralKeyOf(ecdh)
}

interface ZeroLedCase {
  uplink: Peer
  /** Uplink's nonce and ephemeral key. */
  hooks: SecioTestHooks
  fakeIdentity: Peer
  fakeNonce: Uint8Array
  fakeEphemeral: EphemeralKeyFactory
}

/** P-256 keys whose shared X starts with 0x00 (1 pair in 256), and nonces that make Uplink lose the order. */
async function zeroLedCaseUplinkLoses (): Promise<ZeroLedCase> {
  const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
  let pair: [ECDH, ECDH] | undefined

  for (let tries = 0; pair == null && tries < 20_000; tries++) {
    const [a, b] = [createECDH('prime256v1'), createECDH('prime256v1')]
    a.generateKeys()
    b.generateKeys()
    if (a.computeSecret(b.getPublicKey())[0] === 0) pair = [a, b]
  }
  if (pair == null) throw new Error('no zero-led P-256 secret found')

  const uplinkNonce = randomBytes(16)
  const uplinkKey = publicKeyToProtobuf(uplink.privateKey.publicKey)
  const fakeKey = publicKeyToProtobuf(fakeIdentity.privateKey.publicKey)
  let fakeNonce = randomBytes(16)
  // the fake wins (order > 0 from its side), so Uplink is the side with the bounded wait
  while (orderFor(fakeKey, fakeNonce, uplinkKey, uplinkNonce) <= 0) fakeNonce = randomBytes(16)

  return {
    uplink,
    hooks: { nonce: uplinkNonce, createEphemeral: ephemeralFrom(pair[0]) },
    fakeIdentity,
    fakeNonce,
    fakeEphemeral: ephemeralFrom(pair[1])
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

describe('secio leading-zero wait: a wait never leaves half a frame behind', function () {
  this.timeout(20_000)

  for (const stripSecretZeros of [true, false]) {
    const who = stripSecretZeros ? 'a zero-stripping (go-libp2p-like) peer' : 'a full-width peer'

    // Regression: the wait aborted the read after the 4-byte length was consumed; the next read took
    // ciphertext as a length ("frame length 117901063") and a handshake that should succeed failed.
    it(`${who} whose nonce frame header arrives within the wait and its body after it: the handshake succeeds`, async () => {
      const c = await zeroLedCaseUplinkLoses()
      const [raw, fakeRaw] = multiaddrConnectionPair()
      const fake = new FakePeer(fakeRaw, { privateKey: c.fakeIdentity.privateKey, nonce: c.fakeNonce, createEphemeral: c.fakeEphemeral, stripSecretZeros })
      const secured = encrypter(c.uplink, { leadingZeroWait: WAIT }, c.hooks).secureInbound(raw, { signal: AbortSignal.timeout(10_000) })

      await fake.upToKeys()
      expect(fake.order, 'the fake won the order').to.equal(1)
      const frame = fake.nonceFrame().subarray()
      await fake.writeRaw(frame.subarray(0, 4))
      await sleep(PAST_THE_WAIT)
      await fake.writeRaw(frame.subarray(4))

      // Uplink answered in the width the fake keyed with, or this throws
      await within(5_000, fake.readNonceFrame())
      const { connection, remotePeer } = await within(5_000, secured)
      expect(remotePeer.equals(c.fakeIdentity.peerId)).to.equal(true)

      const data = randomBytes(10_000)
      const got = receive(connection, data.byteLength)
      await fake.writeRaw(fake.seal(data))
      expect(Buffer.from(await got).equals(data)).to.equal(true)
    })
  }

  it('a full-width peer whose nonce frame header is itself split across the wait: the bytes already read are kept, the handshake succeeds', async () => {
    const c = await zeroLedCaseUplinkLoses()
    const [raw, fakeRaw] = multiaddrConnectionPair()
    const fake = new FakePeer(fakeRaw, { privateKey: c.fakeIdentity.privateKey, nonce: c.fakeNonce, createEphemeral: c.fakeEphemeral })
    const secured = encrypter(c.uplink, { leadingZeroWait: WAIT }, c.hooks).secureInbound(raw, { signal: AbortSignal.timeout(10_000) })

    await fake.upToKeys()
    const frame = fake.nonceFrame().subarray()
    await fake.writeRaw(frame.subarray(0, 2))
    await sleep(PAST_THE_WAIT)
    await fake.writeRaw(frame.subarray(2))

    await within(5_000, fake.readNonceFrame())
    const { remotePeer } = await within(5_000, secured)
    expect(remotePeer.equals(c.fakeIdentity.peerId)).to.equal(true)
  })

  it('a zero-stripping peer whose nonce frame header is split across the wait: Uplink answers in full width (the documented price) and fails with MacMismatchError, in step with the frame', async () => {
    const c = await zeroLedCaseUplinkLoses()
    const [raw, fakeRaw] = multiaddrConnectionPair()
    const fake = new FakePeer(fakeRaw, { privateKey: c.fakeIdentity.privateKey, nonce: c.fakeNonce, createEphemeral: c.fakeEphemeral, stripSecretZeros: true })
    const secured = encrypter(c.uplink, { leadingZeroWait: WAIT }, c.hooks).secureInbound(raw, { signal: AbortSignal.timeout(10_000) })

    await fake.upToKeys()
    const frame = fake.nonceFrame().subarray()
    await fake.writeRaw(frame.subarray(0, 2))
    await sleep(PAST_THE_WAIT)
    await fake.writeRaw(frame.subarray(2))

    // a desynchronised reader would see an InvalidFrameLengthError/NonceMismatchError from ciphertext read as a length
    expect((await rejectionOf(secured)).name).to.equal('MacMismatchError')
  })
})
