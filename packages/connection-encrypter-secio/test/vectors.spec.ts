import { createECDH, createHash, createHmac, randomBytes } from 'node:crypto'
import { generateKeyPair, privateKeyFromProtobuf, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { expect } from 'chai'
import { FrameOpener, FrameSealer } from '../src/framing/frame-cipher.js'
import { selectBest } from '../src/handshake/algorithms.js'
import { readExchange } from '../src/handshake/exchange.js'
import { decodeRemoteIdentity, localIdentityProtobuf } from '../src/handshake/identity.js'
import { deriveSessionKeys } from '../src/handshake/keys.js'
import { readProposal } from '../src/handshake/proposal.js'
import { computeSharedSecret, ephemeralKeyOf, generateEphemeral } from '../src/handshake/secret.js'
import { Exchange } from '../src/pb/secio.js'
import { goAesVector } from './fixtures/go-aes.js'
import { goEllipticKey } from './fixtures/go-elliptic-key.js'
import { goCoreSignatureFixtures, goEd25519Fixtures, goRsaSecioCorpusFixture, goSecp256k1HelloFixture } from './fixtures/go-signatures.js'
import { goStretchKeyVectors } from './fixtures/go-stretch-key.js'
import { peerIdSpecVectors } from './fixtures/peer-id-spec.js'
import { rustStretchVectors } from './fixtures/rust-stretch.js'
import { selectBestVectors } from './fixtures/select-best.js'
import { concatBytes, halfToHex, stretch, toHex, uint32be } from './fixtures/wire.js'
import type { CipherName } from '../src/handshake/algorithms.js'
import type { DirectionKeys } from '../src/handshake/keys.js'
import type { EphemeralKey } from '../src/handshake/secret.js'

function flipLastByte (bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes)
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01
  return copy
}

describe('secio vectors', () => {
  describe('key stretching (go-stretch-key fixture)', () => {
    for (const [index, vector] of goStretchKeyVectors.entries()) {
      const label = `#${index} ${vector.cipher}/${vector.hash}`

      it(`${label}: deriveSessionKeys reproduces the Go k1/k2, k1 for the order winner and k2 for the loser`, async () => {
        if (vector.cipher === 'Blowfish' || vector.hash === 'SHA1') throw new Error('fixture uses an algorithm SECIO no longer runs')
        const suite = { exchange: 'P-256' as const, cipher: vector.cipher, hash: vector.hash }
        const winner = await deriveSessionKeys(suite, vector.secret, 1)
        const loser = await deriveSessionKeys(suite, vector.secret, -1)

        expect(halfToHex(winner.local)).to.deep.equal(halfToHex(vector.k1))
        expect(halfToHex(winner.remote)).to.deep.equal(halfToHex(vector.k2))
        expect(halfToHex(loser.local)).to.deep.equal(halfToHex(vector.k2))
        expect(halfToHex(loser.remote)).to.deep.equal(halfToHex(vector.k1))
      })

      // the oracle the random-secret tests below compare deriveSessionKeys with is itself pinned to Go's output
      it(`${label}: the independent P_hash (fixtures/wire.ts) the random-secret tests use reproduces the Go k1/k2`, () => {
        if (vector.cipher === 'Blowfish' || vector.hash === 'SHA1') throw new Error('fixture uses an algorithm SECIO no longer runs')
        const { k1, k2 } = stretch(vector.cipher, vector.hash, vector.secret)

        expect(halfToHex(k1)).to.deep.equal(halfToHex(vector.k1))
        expect(halfToHex(k2)).to.deep.equal(halfToHex(vector.k2))
      })
    }

    it('the Go fixture has the documented sizes (iv 16, AES-256 key 32, mac key 20)', () => {
      const [vector] = goStretchKeyVectors
      if (vector == null) throw new Error('no Go stretch vector')
      expect([vector.k1.iv.byteLength, vector.k1.cipherKey.byteLength, vector.k1.macKey.byteLength]).to.deep.equal([16, 32, 20])
      expect(toHex(vector.k1.iv)).to.equal('d084cba9fd342853a15b114721884360')
      expect(toHex(vector.k2.macKey)).to.equal('03e54dd4f1d91771dc7e26ff12756ccdc65901ec')
    })

    for (const cipher of ['AES-128', 'AES-256'] as const) {
      for (const hash of ['SHA256', 'SHA512'] as const) {
        it(`${cipher}/${hash}: deriveSessionKeys matches the independent P_hash for a random secret`, async () => {
          const secret = randomBytes(cipher === 'AES-128' ? 48 : 66)
          const expected = stretch(cipher, hash, secret)
          const keys = await deriveSessionKeys({ exchange: 'P-384', cipher, hash }, secret, 1)

          expect(keys.local.cipherKey.byteLength).to.equal(cipher === 'AES-128' ? 16 : 32)
          expect(keys.local.macKey.byteLength).to.equal(20)
          expect(halfToHex(keys.local)).to.deep.equal(halfToHex(expected.k1))
          expect(halfToHex(keys.remote)).to.deep.equal(halfToHex(expected.k2))
        })
      }
    }
  })

  describe('key stretching (rust-libp2p stretch vectors: the first 32 bytes of the "key expansion" stream)', () => {
    for (const vector of rustStretchVectors) {
      for (const cipher of ['AES-128', 'AES-256'] as CipherName[]) {
        it(`${vector.description}: the first 32 bytes deriveSessionKeys stretches (${cipher}/SHA256) are the Rust output, in the winner's local keys and the loser's remote keys`, async () => {
          const suite = { exchange: 'P-256' as const, cipher, hash: 'SHA256' as const }
          const winner = await deriveSessionKeys(suite, vector.key, 1)
          const loser = await deriveSessionKeys(suite, vector.key, -1)
          // the stream starts iv(16) ‖ cipherKey ‖ macKey(20) ‖ ...: iv ‖ the next 16 bytes, whatever the key size
          const first32 = (half: DirectionKeys): string => toHex(concatBytes(half.iv, concatBytes(half.cipherKey, half.macKey).subarray(0, 16)))

          expect(first32(winner.local)).to.equal(toHex(vector.output))
          expect(first32(loser.remote)).to.equal(toHex(vector.output))
        })
      }
    }
  })

  describe('AES-CTR continuity (go-aes fixture) through FrameSealer / FrameOpener', () => {
    const macKey = new Uint8Array(20).fill(0x42)
    const keys = { cipherKey: goAesVector.key, iv: goAesVector.iv, macKey }

    it('consecutive sealed frames carry the Go ciphertexts, with the length prefix and an HMAC over the ciphertext', () => {
      const sealer = new FrameSealer('AES-128', 'SHA256', keys)

      for (const [i, input] of goAesVector.inputs.entries()) {
        const expected = goAesVector.outputs[i]
        if (expected == null) throw new Error(`no output ${i}`)
        const frame = sealer.seal(input).subarray()

        expect(toHex(frame.subarray(0, 4))).to.equal(toHex(uint32be(input.byteLength + 32)))
        expect(frame.byteLength).to.equal(4 + input.byteLength + 32)
        const ciphertext = frame.subarray(4, 4 + input.byteLength)
        expect(toHex(ciphertext), `block ${i}`).to.equal(toHex(expected))
        expect(toHex(frame.subarray(4 + input.byteLength))).to.equal(toHex(createHmac('sha256', macKey).update(ciphertext).digest()))
      }
    })

    it('a FrameOpener decrypts the Go ciphertexts back in order', () => {
      const sealer = new FrameSealer('AES-128', 'SHA256', keys)
      const opener = new FrameOpener('AES-128', 'SHA256', keys)

      for (const [i, input] of goAesVector.inputs.entries()) {
        const frame = sealer.seal(input).subarray()
        const payload = frame.subarray(4)
        expect(toHex(payload.subarray(0, input.byteLength))).to.equal(toHex(goAesVector.outputs[i] ?? new Uint8Array()))
        expect(toHex(opener.open(payload)), `block ${i}`).to.equal(toHex(input))
      }
    })

    it('a fresh cipher for block 2 does not reproduce it: the keystream must continue across frames', () => {
      const [, second] = goAesVector.inputs
      const [, expected] = goAesVector.outputs
      if (second == null || expected == null) throw new Error('fixture too short')

      const fresh = new FrameSealer('AES-128', 'SHA256', keys).seal(second).subarray()
      const ciphertext = fresh.subarray(4, 4 + second.byteLength)
      expect(toHex(ciphertext)).to.not.equal(toHex(expected))
      // what the notes call the reset-counter output
      expect(toHex(ciphertext.subarray(0, 4))).to.equal('4e5f37a0')

      // and a fresh opener fed block 2 first decrypts it to garbage (the MAC covers only the ciphertext)
      const sealer = new FrameSealer('AES-128', 'SHA256', keys)
      sealer.seal(goAesVector.inputs[0] ?? new Uint8Array())
      const frame2 = sealer.seal(second).subarray(4)
      const plaintext = new FrameOpener('AES-128', 'SHA256', keys).open(frame2)
      expect(toHex(plaintext)).to.not.equal(toHex(second))
    })
  })

  describe('Go signatures through decodeRemoteIdentity', () => {
    const cases = [
      { name: 'RSA (0.pub / 0.sig)', fixture: goCoreSignatureFixtures.RSA },
      { name: 'secp256k1 (2.pub / 2.sig)', fixture: goCoreSignatureFixtures.Secp256k1 },
      { name: 'ECDSA P-256, PKIX key + DER signature (3.pub / 3.sig)', fixture: goCoreSignatureFixtures.ECDSA },
      { name: 'Ed25519 (go-key-ed25519 verify)', fixture: goEd25519Fixtures.verify },
      { name: 'secp256k1 (go-key-secp256k1 hello)', fixture: goSecp256k1HelloFixture },
      { name: 'RSA over a real SECIO Exchange corpus', fixture: goRsaSecioCorpusFixture }
    ]

    for (const { name, fixture } of cases) {
      it(`${name}: verifies`, async () => {
        const identity = decodeRemoteIdentity(fixture.publicKey)
        // the protobuf enum decodes to its name, which the fixtures use too
        expect(identity.type).to.equal(fixture.keyType)
        expect(toHex(identity.protobuf)).to.equal(toHex(fixture.publicKey))
        expect(await identity.verify(fixture.message, fixture.signature)).to.equal(true)
      })

      it(`${name}: a flipped signature byte does not verify`, async () => {
        const identity = decodeRemoteIdentity(fixture.publicKey)
        const valid = await identity.verify(fixture.message, flipLastByte(fixture.signature)).catch(() => false)
        expect(valid).to.equal(false)
      })

      it(`${name}: a flipped message byte does not verify`, async () => {
        const identity = decodeRemoteIdentity(fixture.publicKey)
        const valid = await identity.verify(flipLastByte(fixture.message), fixture.signature).catch(() => false)
        expect(valid).to.equal(false)
      })
    }

    it('ECDSA: @libp2p/crypto v5 cannot read the Go key, which is why identity.ts reads PKIX itself', () => {
      expect(() => publicKeyFromProtobuf(goCoreSignatureFixtures.ECDSA.publicKey)).to.throw()
    })

    it('the SECIO corpus fixture splits into two Proposes and an ephemeral key, the signer\'s Propose first', () => {
      const { message, layout, publicKey } = goRsaSecioCorpusFixture
      const out = readProposal(message.subarray(...layout.proposeOut))
      const incoming = readProposal(message.subarray(...layout.proposeIn))
      const epk = message.subarray(...layout.ephemeralPublicKey)

      expect(toHex(out.identity.protobuf)).to.equal(toHex(publicKey))
      expect(toHex(incoming.identity.protobuf)).to.not.equal(toHex(publicKey))
      expect(out.exchanges).to.deep.equal(['P-256', 'P-384', 'P-521'])
      expect(incoming.ciphers).to.deep.equal(['AES-256', 'AES-128'])
      expect(epk.byteLength).to.equal(65)
      expect(epk[0]).to.equal(0x04)
      expect(layout.ephemeralPublicKey[1]).to.equal(message.byteLength)
    })
  })

  describe('peer-id spec key vectors', () => {
    for (const vector of peerIdSpecVectors) {
      it(`${vector.keyType}: decodeRemoteIdentity accepts the spec's public key`, () => {
        const identity = decodeRemoteIdentity(vector.publicKey)
        expect(identity.type).to.equal(vector.keyType)
        expect(vector.publicKey.subarray(0, 2)).to.deep.equal(new Uint8Array([0x08, vector.keyTypeNumber]))
        expect(toHex(identity.protobuf)).to.equal(toHex(vector.publicKey))
      })

      if (vector.keyType === 'ECDSA') {
        it('ECDSA: the PeerId is the SHA2-256 multihash of the key protobuf (more than 42 bytes)', () => {
          const identity = decodeRemoteIdentity(vector.publicKey)
          const digest = createHash('sha256').update(vector.publicKey).digest()
          expect(vector.publicKey.byteLength).to.be.greaterThan(42)
          expect(toHex(identity.peerId.toMultihash().bytes)).to.equal('1220' + toHex(digest))
        })

        it('ECDSA: localIdentityProtobuf refuses an ECDSA identity', async () => {
          const key = await generateKeyPair('ECDSA')
          expect(() => localIdentityProtobuf(key)).to.throw().with.property('name', 'UnsupportedIdentityError')
        })

        continue
      }

      it(`${vector.keyType}: the PeerId equals @libp2p/peer-id's`, () => {
        const identity = decodeRemoteIdentity(vector.publicKey)
        const expected = peerIdFromPublicKey(publicKeyFromProtobuf(vector.publicKey))

        expect(identity.peerId.equals(expected)).to.equal(true)
        expect(identity.peerId.toString()).to.equal(expected.toString())
        // identity multihash up to 42 bytes, SHA2-256 above
        expect(identity.peerId.toMultihash().code).to.equal(vector.publicKey.byteLength <= 42 ? 0x00 : 0x12)
      })

      it(`${vector.keyType}: localIdentityProtobuf(private key) round-trips to the spec's public key byte for byte`, () => {
        const privateKey = privateKeyFromProtobuf(vector.privateKey)
        expect(toHex(localIdentityProtobuf(privateKey))).to.equal(toHex(vector.publicKey))
      })
    }
  })

  describe('selectBest (js-libp2p-secio support.spec table)', () => {
    for (const vector of selectBestVectors) {
      it(vector.description, () => {
        if (vector.expectedError != null) {
          const err = (() => { try { selectBest(vector.order, vector.local, vector.remote) } catch (err: any) { return err } })()
          expect(err?.name).to.equal('NoCommonAlgorithmError')
          expect(err?.message).to.match(vector.expectedError)
          return
        }

        expect(selectBest(vector.order, vector.local, vector.remote)).to.equal(vector.expected)
      })
    }

    it('the table exercises both signs and the error', () => {
      expect(selectBestVectors.some(v => v.order > 0 && v.expected != null)).to.equal(true)
      expect(selectBestVectors.some(v => v.order < 0 && v.expected != null)).to.equal(true)
      expect(selectBestVectors.some(v => v.expectedError != null)).to.equal(true)
    })

    it('an empty remote list (a missing Propose field) has nothing in common', () => {
      expect(() => selectBest(-1, ['SHA256'], [])).to.throw().with.property('name', 'NoCommonAlgorithmError')
    })
  })

  describe('ECDH with the Go P-256 key (go-elliptic-key fixture) through Uplink\'s key code', () => {
    /** Uplink's EphemeralKey over the Go key pair. */
    function goEphemeral (): EphemeralKey {
      const ecdh = createECDH('prime256v1')
      ecdh.setPrivateKey(goEllipticKey.bob.private)
      return ephemeralKeyOf(ecdh)
    }

    it('ephemeralKeyOf over the Go private key sends the Go public key, which readExchange accepts as a P-256 point', () => {
      const go = goEphemeral()
      expect(toHex(go.key)).to.equal(toHex(goEllipticKey.bob.public))

      const exchange = readExchange(Exchange.encode({ epubkey: new Uint8Array(goEllipticKey.bob.public), signature: new Uint8Array([1]) }), 'P-256')
      expect(toHex(exchange.ephemeralKey)).to.equal(toHex(goEllipticKey.bob.public))
    })

    it('computeSharedSecret gives a generated ephemeral key and the Go key the same 32-byte secret, both ways', async () => {
      const ours = await generateEphemeral('P-256')
      const go = goEphemeral()

      const atUs = await computeSharedSecret(ours, goEllipticKey.bob.public)
      const atGo = await computeSharedSecret(go, ours.key)
      expect(atUs.byteLength).to.equal(32)
      expect(toHex(atUs)).to.equal(toHex(atGo))
    })

    it('computeSharedSecret refuses the Go point on another curve (InvalidExchangeError)', async () => {
      const ours = await generateEphemeral('P-384')
      const err = await computeSharedSecret(ours, goEllipticKey.bob.public).then(() => undefined, (err: unknown) => err)
      expect((err as Error | undefined)?.name).to.equal('InvalidExchangeError')
    })
  })
})
