/**
 * A complete SECIO transcript with every random input pinned: fixed Ed25519
 * identities (from seeds), fixed 16-byte nonces and fixed P-256 ephemeral
 * keys, injected through `SecioTestHooks`. Every byte both sides put on the
 * raw connection is recorded and re-derived here with `node:crypto` and the
 * field layout from the notes, never with code from `src/`.
 */
import { createCipheriv, createECDH, createHash, createHmac, createPublicKey, verify as verifySignature } from 'node:crypto'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { ephemeralKeyOf } from '../src/handshake/secret.js'
import { encrypter, handshake, transfer } from './fixtures/peers.js'
import { concatBytes, lengthPrefixed, orderFor, pbField, recordSends, splitFrames, stretch, toHex } from './fixtures/wire.js'
import type { Preferences } from '../src/handshake/algorithms.js'
import type { EphemeralKeyFactory } from '../src/handshake/secret.js'
import type { Peer } from './fixtures/peers.js'
import type { PrivateKey } from '@libp2p/interface'

const sha256 = (data: string | Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())

/** Fixed inputs. The identity and ephemeral private keys are SHA-256 of a label, so anyone can rebuild them. */
const IDENTITY_SEED_A = sha256('uplink secio transcript: identity A')
const IDENTITY_SEED_B = sha256('uplink secio transcript: identity B')
const NONCE_A = Uint8Array.from({ length: 16 }, (_, i) => i) // 00 01 .. 0f
const NONCE_B = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i) // f0 f1 .. ff
const EPHEMERAL_A = sha256('uplink secio transcript: ephemeral A')
const EPHEMERAL_B = sha256('uplink secio transcript: ephemeral B')

/** Application messages sent once the channel is up, to pin the keystream continuing past the nonce frame. */
const MESSAGE_A = new TextEncoder().encode('hello from A, the dialer')
const MESSAGE_B = new TextEncoder().encode('hello from B, the listener')

/**
 * SHA-256 of everything each side sent (Propose frame, Exchange frame, nonce
 * frame, one application frame). Computed once from a run of this test and
 * hard-coded: it follows entirely from the fixed inputs above, and the test
 * still derives every byte independently first; the digests only make any
 * accidental change to the wire format (or to the inputs) fail loudly.
 * With these inputs B (the listener) wins the order, so A offers the reversed
 * lists and B's first choices are negotiated.
 */
const TRANSCRIPT_DIGEST_A = 'f6e02844ae12c0e5f833b4b13fc4220dc932e0ae1c9b1ef440ef9d11e833008d'
const TRANSCRIPT_DIGEST_B = '58b166d2c0acb0d9318735829e2a6515009dda30dc0c3e0ac2b0ac4819048246'

const DEFAULT_LISTS: Preferences = { exchanges: ['P-256', 'P-384', 'P-521'], ciphers: ['AES-256', 'AES-128'], hashes: ['SHA256', 'SHA512'] }
/** What the side that LOSES the order offers: the defaults reversed, so the suite only comes out right if the winner's list is walked. */
const REVERSED_LISTS: Preferences = { exchanges: ['P-521', 'P-384', 'P-256'], ciphers: ['AES-128', 'AES-256'], hashes: ['SHA512', 'SHA256'] }

function fixedEphemeral (privateKey: Uint8Array): EphemeralKeyFactory {
  return async (curve) => {
    if (curve !== 'P-256') throw new Error(`the transcript expects P-256, the handshake asked for ${curve}`)
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(privateKey)
    return ephemeralKeyOf(ecdh)
  }
}

function ephemeralPublic (privateKey: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1')
  ecdh.setPrivateKey(privateKey)
  return new Uint8Array(ecdh.getPublicKey())
}

/** The libp2p PublicKey protobuf for an Ed25519 key, built by hand: 08 01 12 20 <32 raw bytes>. */
function ed25519Protobuf (key: PrivateKey): Uint8Array {
  const raw = key.publicKey.raw
  expect(raw.byteLength).to.equal(32)
  return concatBytes(new Uint8Array([0x08, 0x01]), pbField(0x12, raw))
}

/** The Propose, field by field: 0a rand, 12 pubkey, 1a exchanges, 22 ciphers, 2a hashes. */
function proposeBytes (nonce: Uint8Array, pubkey: Uint8Array, lists: Preferences): Uint8Array {
  return concatBytes(
    pbField(0x0a, nonce),
    pbField(0x12, pubkey),
    pbField(0x1a, lists.exchanges.join(',')),
    pbField(0x22, lists.ciphers.join(',')),
    pbField(0x2a, lists.hashes.join(','))
  )
}

/** Identity key as a node KeyObject, from the raw 32 bytes, for verification outside @libp2p/crypto. */
function nodeEd25519 (raw: Uint8Array): ReturnType<typeof createPublicKey> {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' })
}

interface Side {
  peer: Peer
  pubkey: Uint8Array
  nonce: Uint8Array
  ephemeralPrivate: Uint8Array
  lists: Preferences
}

interface Run {
  sentA: Uint8Array
  sentB: Uint8Array
  suites: [unknown, unknown]
  received: [Uint8Array, Uint8Array]
}

async function sides (): Promise<{ a: Side, b: Side, orderA: number }> {
  const [keyA, keyB] = await Promise.all([generateKeyPairFromSeed('Ed25519', IDENTITY_SEED_A), generateKeyPairFromSeed('Ed25519', IDENTITY_SEED_B)])
  const pubA = ed25519Protobuf(keyA)
  const pubB = ed25519Protobuf(keyB)
  const orderA = orderFor(pubA, NONCE_A, pubB, NONCE_B)

  return {
    a: { peer: { privateKey: keyA, peerId: peerIdFromPrivateKey(keyA) }, pubkey: pubA, nonce: NONCE_A, ephemeralPrivate: EPHEMERAL_A, lists: orderA > 0 ? DEFAULT_LISTS : REVERSED_LISTS },
    b: { peer: { privateKey: keyB, peerId: peerIdFromPrivateKey(keyB) }, pubkey: pubB, nonce: NONCE_B, ephemeralPrivate: EPHEMERAL_B, lists: orderA > 0 ? REVERSED_LISTS : DEFAULT_LISTS },
    orderA
  }
}

async function run (): Promise<Run> {
  const { a, b } = await sides()
  const raw = multiaddrConnectionPair()
  const chunksA = recordSends(raw[0])
  const chunksB = recordSends(raw[1])

  const { dialer, listener } = await handshake(
    encrypter(a.peer, a.lists, { nonce: a.nonce, createEphemeral: fixedEphemeral(a.ephemeralPrivate) }),
    encrypter(b.peer, b.lists, { nonce: b.nonce, createEphemeral: fixedEphemeral(b.ephemeralPrivate) }),
    b.peer.peerId,
    raw
  )

  const atB = await transfer(dialer.connection, listener.connection, MESSAGE_A)
  const atA = await transfer(listener.connection, dialer.connection, MESSAGE_B)
  dialer.connection.abort(new Error('transcript done'))

  return {
    sentA: concatBytes(...chunksA),
    sentB: concatBytes(...chunksB),
    suites: [dialer.remoteExtensions, listener.remoteExtensions],
    received: [atA, atB]
  }
}

describe('secio transcript with fixed identities, nonces and ephemeral keys', () => {
  let fixed: Awaited<ReturnType<typeof sides>>
  let first: Run
  let framesA: Uint8Array[]
  let framesB: Uint8Array[]

  before(async () => {
    fixed = await sides()
    first = await run()
    framesA = splitFrames(first.sentA)
    framesB = splitFrames(first.sentB)
  })

  it('each side sent exactly Propose, Exchange, nonce frame and one application frame', () => {
    expect(framesA).to.have.lengthOf(4)
    expect(framesB).to.have.lengthOf(4)
    expect(first.received.map(toHex)).to.deep.equal([toHex(MESSAGE_B), toHex(MESSAGE_A)])
  })

  it('the Propose bytes match the protobuf layout from the notes', () => {
    const { a, b } = fixed
    const expectedA = proposeBytes(a.nonce, a.pubkey, a.lists)
    const expectedB = proposeBytes(b.nonce, b.pubkey, b.lists)

    // 0a 10 <rand> 12 24 <08 01 12 20 key> 1a .. 22 .. 2a ..
    expect(toHex(expectedA.subarray(0, 2))).to.equal('0a10')
    expect(toHex(expectedA.subarray(18, 24))).to.equal('122408011220')
    expect(toHex(first.sentA.subarray(0, 4 + expectedA.byteLength))).to.equal(toHex(lengthPrefixed(expectedA)))
    expect(toHex(first.sentB.subarray(0, 4 + expectedB.byteLength))).to.equal(toHex(lengthPrefixed(expectedB)))
    // the winner's Propose carries the defaults: 107 bytes for an Ed25519 identity, as in the notes
    expect([expectedA.byteLength, expectedB.byteLength]).to.include(107)
  })

  it('the order has opposite signs and the winner\'s preferences select the suite', () => {
    const { a, b, orderA } = fixed
    const orderB = orderFor(b.pubkey, b.nonce, a.pubkey, a.nonce)

    expect(orderA).to.not.equal(0)
    // a property of the fixed inputs (the pinned digests depend on it)
    expect(orderA).to.equal(-1)
    expect(Math.sign(orderB)).to.equal(-Math.sign(orderA))
    // the loser offered the reversed lists, whose first entries are P-521 / AES-128 / SHA512
    const expected = { exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' }
    expect(first.suites).to.deep.equal([expected, expected])
  })

  it('the Exchange bytes carry the fixed ephemeral key and a signature over signerPropose ‖ otherPropose ‖ signerEphemeral', async () => {
    const { a, b } = fixed
    const proposeA = framesA[0] ?? new Uint8Array()
    const proposeB = framesB[0] ?? new Uint8Array()

    for (const [signer, exchange, mine, theirs] of [[a, framesA[1], proposeA, proposeB], [b, framesB[1], proposeB, proposeA]] as const) {
      if (exchange == null) throw new Error('no Exchange frame')
      const epub = ephemeralPublic(signer.ephemeralPrivate)
      const corpus = concatBytes(mine, theirs, epub)
      const signature = exchange.subarray(2 + 65 + 2)

      expect(epub.byteLength).to.equal(65)
      expect(signature.byteLength).to.equal(64)
      expect(toHex(exchange)).to.equal(toHex(concatBytes(pbField(0x0a, epub), pbField(0x12, signature))))
      expect(verifySignature(null, corpus, nodeEd25519(signer.peer.privateKey.publicKey.raw), signature)).to.equal(true)
      // Ed25519 is deterministic: the signature is exactly what the identity key makes over the corpus
      expect(toHex(signature)).to.equal(toHex(await signer.peer.privateKey.sign(corpus)))
      // and it does not verify over the corpus in the verifier's order
      expect(verifySignature(null, concatBytes(theirs, mine, epub), nodeEd25519(signer.peer.privateKey.publicKey.raw), signature)).to.equal(false)
    }
  })

  it('the shared secret, stretched keys and first encrypted frame of each side match node:crypto', () => {
    const { a, b, orderA } = fixed
    const ecdhA = createECDH('prime256v1')
    ecdhA.setPrivateKey(a.ephemeralPrivate)
    const ecdhB = createECDH('prime256v1')
    ecdhB.setPrivateKey(b.ephemeralPrivate)
    const secret = ecdhA.computeSecret(ephemeralPublic(b.ephemeralPrivate))

    expect(toHex(ecdhB.computeSecret(ephemeralPublic(a.ephemeralPrivate)))).to.equal(toHex(secret))
    expect(secret.byteLength).to.equal(32)
    // precondition of the fixed inputs: no leading zero, so no width ambiguity (see confirm.ts)
    expect(secret[0]).to.not.equal(0)

    const { k1, k2 } = stretch('AES-256', 'SHA256', secret)
    const [keysA, keysB] = orderA > 0 ? [k1, k2] : [k2, k1]

    for (const [keys, frames, peerNonce, message] of [[keysA, framesA, b.nonce, MESSAGE_A], [keysB, framesB, a.nonce, MESSAGE_B]] as const) {
      const cipher = createCipheriv('aes-256-ctr', keys.cipherKey, keys.iv)
      const nonceCt = cipher.update(peerNonce)
      const nonceFrame = concatBytes(nonceCt, createHmac('sha256', keys.macKey).update(nonceCt).digest())
      // the application frame continues the same keystream
      const messageCt = cipher.update(message)
      const messageFrame = concatBytes(messageCt, createHmac('sha256', keys.macKey).update(messageCt).digest())

      expect(toHex(lengthPrefixed(frames[2] ?? new Uint8Array()))).to.equal('00000030' + toHex(nonceFrame))
      expect(toHex(frames[3] ?? new Uint8Array())).to.equal(toHex(messageFrame))
    }
  })

  it('the whole transcript hashes to the pinned regression digests', () => {
    expect(toHex(sha256(first.sentA))).to.equal(TRANSCRIPT_DIGEST_A)
    expect(toHex(sha256(first.sentB))).to.equal(TRANSCRIPT_DIGEST_B)
  })

  it('is deterministic: a second run puts the same bytes on the wire', async () => {
    const second = await run()
    expect(toHex(second.sentA)).to.equal(toHex(first.sentA))
    expect(toHex(second.sentB)).to.equal(toHex(first.sentB))
  })
})
