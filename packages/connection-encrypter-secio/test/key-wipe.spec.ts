/**
 * What a handshake leaves of its key material: the ephemeral private scalar is
 * replaced once the shared secret is computed (or the handshake fails before
 * that), and the shared secret is zeroed as soon as it is stretched, before
 * the nonce frames are exchanged. Observed through the injectable
 * `EphemeralKeyFactory`: the recorder below hands Uplink a real key over a
 * Node `ECDH` the test can inspect, and keeps the secret buffer Uplink got.
 */
import { createECDH, randomBytes } from 'node:crypto'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { EPHEMERAL_KEY_LENGTH } from '../src/handshake/exchange.js'
import { ephemeralKeyOf, generateEphemeral } from '../src/handshake/secret.js'
import { Exchange } from '../src/pb/secio.js'
import { FakePeer, rejectionOf, within } from './fixtures/hostile-peer.js'
import { encrypter, peer } from './fixtures/peers.js'
import { toHex } from './fixtures/wire.js'
import type { ExchangeName } from '../src/handshake/algorithms.js'
import type { EphemeralKeyFactory } from '../src/handshake/secret.js'
import type { ECDH } from 'node:crypto'

/** The scalar a Node ECDH holds, as a number: 1 once wiped. */
function scalarOf (ecdh: ECDH): bigint {
  return BigInt(`0x${ecdh.getPrivateKey().toString('hex')}`)
}

function allZero (bytes: Uint8Array): boolean {
  return bytes.every(byte => byte === 0)
}

interface Recorder {
  factory: EphemeralKeyFactory
  /** The ECDH behind the key Uplink got. */
  ecdh(): ECDH
  /** Its scalar when the key was handed out. */
  originalScalar(): bigint
  /** The very buffer computeSharedSecret gave Uplink, if it got that far. */
  secret?: Uint8Array
  wipes: number
}

/** Hands Uplink `ephemeralKeyOf(ecdh)` (the production wrapper) over `ecdh`, recording what happens to it. */
function recorder (make: () => ECDH = () => { const e = createECDH('prime256v1'); e.generateKeys(); return e }): Recorder {
  let ecdh: ECDH | undefined
  let original = 0n

  const rec: Recorder = {
    wipes: 0,
    ecdh: () => { if (ecdh == null) throw new Error('no key handed out yet'); return ecdh },
    originalScalar: () => original,
    factory: async () => {
      ecdh = make()
      original = scalarOf(ecdh)
      const key = ephemeralKeyOf(ecdh)

      return {
        key: key.key,
        async genSharedKey (theirs) {
          rec.secret = await key.genSharedKey(theirs)
          return rec.secret
        },
        wipe () {
          rec.wipes++
          key.wipe()
        }
      }
    }
  }

  return rec
}

/** Two P-256 key pairs whose shared secret has no leading zero, so Uplink sends its nonce frame without waiting for the peer's. */
function fullWidthPair (): [ECDH, ECDH] {
  for (;;) {
    const [a, b] = [createECDH('prime256v1'), createECDH('prime256v1')]
    a.generateKeys()
    b.generateKeys()
    if (a.computeSecret(b.getPublicKey())[0] !== 0) return [a, b]
  }
}

async function uplinkAgainstFake (rec: Recorder, fakeEcdh?: ECDH, signal = AbortSignal.timeout(5_000), handshakeTimeout?: number): Promise<{ fake: FakePeer, secured: Promise<unknown> }> {
  const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
  const [raw, fakeRaw] = multiaddrConnectionPair()
  const fake = new FakePeer(fakeRaw, {
    privateKey: fakeIdentity.privateKey,
    createEphemeral: fakeEcdh == null ? undefined : async () => ephemeralKeyOf(fakeEcdh)
  })
  const secured = encrypter(uplink, { handshakeTimeout }, { createEphemeral: rec.factory }).secureInbound(raw, { signal })
  secured.catch(() => {})
  return { fake, secured }
}

describe('secio key material is wiped', function () {
  this.timeout(20_000)

  describe('ephemeralKeyOf / generateEphemeral', () => {
    for (const curve of ['P-256', 'P-384', 'P-521'] as ExchangeName[]) {
      it(`${curve}: generateEphemeral gives an uncompressed point and the secret Node computes`, async () => {
        const ours = await generateEphemeral(curve)
        const theirs = createECDH({ 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[curve])
        theirs.generateKeys()

        expect(ours.key.byteLength).to.equal(EPHEMERAL_KEY_LENGTH[curve])
        expect(ours.key[0]).to.equal(0x04)
        expect(toHex(await ours.genSharedKey(theirs.getPublicKey()))).to.equal(toHex(theirs.computeSecret(ours.key)))
      })
    }

    it('wipe() replaces the private scalar inside the ECDH with 1, and the key computes nothing afterwards', async () => {
      const ecdh = createECDH('prime256v1')
      ecdh.generateKeys()
      const before = scalarOf(ecdh)
      const key = ephemeralKeyOf(ecdh)
      const peerEcdh = createECDH('prime256v1')
      peerEcdh.generateKeys()
      await key.genSharedKey(peerEcdh.getPublicKey())

      key.wipe()

      expect(before).to.not.equal(1n)
      expect(scalarOf(ecdh), 'the scalar OpenSSL holds').to.equal(1n)
      const err = await rejectionOf(key.genSharedKey(peerEcdh.getPublicKey()))
      expect(err.message).to.match(/wiped/)
      // and a second wipe is harmless
      key.wipe()
      expect(scalarOf(ecdh)).to.equal(1n)
    })
  })

  describe('during a handshake', () => {
    it('success: the secret is zeroed before our nonce frame reaches the peer, the scalar is replaced, and the channel works', async () => {
      const [ours, theirs] = fullWidthPair()
      const rec = recorder(() => ours)
      const { fake, secured } = await uplinkAgainstFake(rec, theirs)

      await fake.upToKeys()
      // Uplink has stretched the secret and sent its nonce frame; the peer has not sent its own yet
      await within(5_000, fake.readNonceFrame())
      const secret = rec.secret
      if (secret == null) throw new Error('Uplink computed no secret')
      expect(secret.byteLength).to.equal(32)
      expect(allZero(secret), `the shared secret (${toHex(secret)}) once stretched`).to.equal(true)
      expect(rec.wipes, 'ephemeral wipes').to.equal(1)
      expect(rec.originalScalar()).to.not.equal(1n)
      expect(scalarOf(rec.ecdh()), 'the ephemeral scalar').to.equal(1n)

      await fake.writeRaw(fake.nonceFrame())
      await within(5_000, secured)
    })

    it('failure after the secret (the peer echoes the wrong nonce): the secret is zeroed and the scalar replaced', async () => {
      const rec = recorder()
      const { fake, secured } = await uplinkAgainstFake(rec)
      await fake.upToKeys()
      await fake.writeRaw(fake.seal(randomBytes(16)))

      expect((await rejectionOf(secured)).name).to.equal('NonceMismatchError')
      expect(rec.secret != null && allZero(rec.secret), 'the shared secret').to.equal(true)
      expect(rec.wipes).to.equal(1)
      expect(scalarOf(rec.ecdh())).to.equal(1n)
    })

    it('failure before the secret (a bad Exchange signature): the scalar is replaced all the same', async () => {
      const rec = recorder()
      const { fake, secured } = await uplinkAgainstFake(rec)
      await fake.sendPropose()
      await fake.readPropose()
      await fake.sendExchange({
        tamper: bytes => {
          const message = Exchange.decode(bytes)
          const signature = new Uint8Array(message.signature ?? new Uint8Array())
          signature[signature.byteLength - 1] = (signature[signature.byteLength - 1] ?? 0) ^ 0x01
          return Exchange.encode({ ...message, signature })
        }
      })

      expect((await rejectionOf(secured)).name).to.equal('BadSignatureError')
      expect(rec.secret, 'no secret was computed').to.equal(undefined)
      expect(rec.wipes).to.equal(1)
      expect(scalarOf(rec.ecdh())).to.equal(1n)
    })

    it('the peer never sends its Exchange and the handshake deadline fires: the scalar is replaced', async () => {
      const rec = recorder()
      const { fake, secured } = await uplinkAgainstFake(rec, undefined, undefined, 300)
      await fake.sendPropose()
      await fake.readPropose()

      expect((await rejectionOf(secured)).name).to.equal('TimeoutError')
      expect(rec.wipes).to.equal(1)
      expect(scalarOf(rec.ecdh())).to.equal(1n)
    })

    it('the caller aborts while we wait for the peer\'s Exchange: the scalar is replaced', async () => {
      const rec = recorder()
      const controller = new AbortController()
      const { fake, secured } = await uplinkAgainstFake(rec, undefined, controller.signal)
      await fake.sendPropose()
      await fake.readPropose()
      // our Exchange, so the key was made and is in use
      await fake.readMessage()
      controller.abort()

      expect((await rejectionOf(secured)).name).to.equal('AbortError')
      expect(rec.wipes).to.equal(1)
      expect(scalarOf(rec.ecdh())).to.equal(1n)
    })
  })
})
