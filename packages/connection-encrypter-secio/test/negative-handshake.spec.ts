/**
 * Hostile input during the SECIO handshake. Each test puts a scripted fake peer
 * (or a man in the middle) against a real Uplink peer and checks the standard
 * for bad input: a NAMED error, a closed raw connection, no hang, and no
 * message from us past the point of failure.
 */
import { createECDH, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { UnexpectedPeerError } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { DeadlineExceededError } from '@uplink/deadline'
import { expect } from 'chai'
import { MAX_HANDSHAKE_MESSAGE_LENGTH } from '../src/constants.js'
import { localIdentityProtobuf } from '../src/handshake/identity.js'
import { Exchange, KeyType, Propose, PublicKey } from '../src/pb/secio.js'
import { FakePeer, closed, prefix, recordWrites, rejectionOf, relay, splitFrames, within } from './fixtures/hostile-peer.js'
import { encrypter, handshakeSettled, peer, rejection } from './fixtures/peers.js'
import type { Direction, EndedStatus } from './fixtures/hostile-peer.js'
import type { KeyKind, Peer } from './fixtures/peers.js'
import type { SecioInit } from '../src/index.js'
import type { SecioTestHooks } from '../src/secio.js'
import type { MultiaddrConnection, PeerId, PrivateKey } from '@libp2p/interface'
import type { KeyObject } from 'node:crypto'
import type { Uint8ArrayList } from 'uint8arraylist'

interface Outcome {
  /** Why the Uplink side's handshake rejected. */
  err: any
  /** The Uplink side's raw connection. */
  raw: MultiaddrConnection
  /** The fake side's raw connection. */
  fakeRaw: MultiaddrConnection
  /** Frames (payloads) the Uplink side wrote. */
  written: Uint8Array[]
  fake: FakePeer
}

interface AgainstOptions {
  /** The Uplink side's identity (default: fresh Ed25519). */
  uplink?: Peer
  init?: SecioInit
  hooks?: SecioTestHooks
  /** Dial, expecting this PeerId. Default: accept any (listener). */
  expect?: PeerId
  /** The fake's identity (default: fresh Ed25519). */
  fakeKey?: PrivateKey
  signal?: AbortSignal
}

/** How a fake's read or write fails once the Uplink side has closed the connection under it: expected, not the script's fault. */
const ENDED_UNDER_THE_FAKE = ['StreamResetError', 'UnexpectedEOFError', 'StreamStateError']

/** The script's own failure, or undefined for a success or a failure caused by the connection ending under it. */
function ownFailure (err: any): Error | undefined {
  if (err == null || ENDED_UNDER_THE_FAKE.includes(err.name)) return undefined
  return new Error(`the fake peer's script failed: ${String(err?.message ?? err)}`, { cause: err })
}

/**
 * Runs a real Uplink peer against a scripted fake and returns how the Uplink
 * side failed. A script that fails on its own (an assertion in it, a bug)
 * fails the test at once with its own message, before or after the Uplink
 * side rejects, instead of leaving Uplink to wait for its deadline.
 */
async function against (script: (fake: FakePeer) => Promise<void>, opts: AgainstOptions = {}): Promise<Outcome> {
  const uplink = opts.uplink ?? await peer()
  const fakeKey = opts.fakeKey ?? (await peer()).privateKey
  const [raw, fakeRaw] = multiaddrConnectionPair()
  const recorder = recordWrites(raw)
  const fake = new FakePeer(fakeRaw, { privateKey: fakeKey })
  const secio = encrypter(uplink, opts.init, opts.hooks)
  const signal = opts.signal ?? AbortSignal.timeout(5_000)

  const secured = opts.expect == null
    ? secio.secureInbound(raw, { signal })
    : secio.secureOutbound(raw, { signal, remotePeer: opts.expect })
  const scripted = script(fake).then(() => undefined, (err: unknown) => err)
  // settles only if the script fails on its own, so such a failure ends the test at once
  const scriptFailed = scripted.then(async err => {
    const failure = ownFailure(err)
    if (failure != null) throw failure
    return new Promise<never>(() => {})
  })

  const err = await Promise.race([rejectionOf(secured), scriptFailed])
  // once the connection is closed under it the script ends too (a hang guard, not a time limit)
  const failure = ownFailure(await within(5_000, scripted, 'the fake peer\'s script'))
  if (failure != null) throw failure

  return { err, raw, fakeRaw, written: splitFrames(recorder.bytes()).frames, fake }
}

/** How each end of the raw connection ended: its `close` event fired with this status. */
interface Ends { uplink: EndedStatus, fake: EndedStatus }

/** Uplink refused the peer: it aborted its end with the error, which resets the peer's. */
const WE_ABORT: Ends = { uplink: 'aborted', fake: 'reset' }

/**
 * The standard for bad input: the named error, and the raw connection closed
 * at both ends (by default: ours aborted with the error, the peer's reset by it).
 */
async function expectRejected (outcome: Outcome, name: string, ends: Ends = WE_ABORT): Promise<void> {
  expect(outcome.err?.name, String(outcome.err?.stack ?? outcome.err)).to.equal(name)
  expect(await closed(outcome.raw), 'Uplink raw connection').to.equal(ends.uplink)
  expect(await closed(outcome.fakeRaw), 'peer end of the raw connection').to.equal(ends.fake)
}

function flipByte (bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = new Uint8Array(bytes)
  const i = index < 0 ? copy.byteLength + index : index
  copy[i] = (copy[i] ?? 0) ^ mask
  return copy
}

function proposeWith (fields: Partial<Propose>): Uint8Array {
  return Propose.encode({
    rand: new Uint8Array(randomBytes(16)),
    exchanges: 'P-256,P-384,P-521',
    ciphers: 'AES-256,AES-128',
    hashes: 'SHA256,SHA512',
    ...fields
  })
}

function pubkey (type: KeyType, data: Uint8Array): Uint8Array<ArrayBuffer> {
  return PublicKey.encode({ Type: type, Data: new Uint8Array(data) })
}

function spki (key: KeyObject): Uint8Array {
  return key.export({ type: 'spki', format: 'der' })
}

/** A PKIX RSA key with a random modulus of `bits` bits: never used to verify, so no private half is needed. */
function rsaSpkiOfBits (bits: number): Uint8Array {
  const n = randomBytes(bits / 8)
  n[0] = (n[0] ?? 0) | 0x80
  n[n.byteLength - 1] = (n[n.byteLength - 1] ?? 0) | 0x01
  return spki(createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' }))
}

/** The fake sends this Propose and then waits. */
function sendsPropose (bytes: Uint8Array) {
  return async (fake: FakePeer): Promise<void> => {
    await fake.writeMessage(bytes)
  }
}

/** Honest Propose phase, then this Exchange (built by `make`). */
function exchangeWith (make: (fake: FakePeer) => Promise<Uint8Array>) {
  return async (fake: FakePeer): Promise<void> => {
    await fake.sendPropose()
    await fake.readPropose()
    await fake.writeMessage(await make(fake))
  }
}

/** An honest Exchange with the signature edited. */
function exchangeSignatureEdited (edit: (signature: Uint8Array) => Uint8Array) {
  return async (fake: FakePeer): Promise<void> => {
    await fake.sendPropose()
    await fake.readPropose()
    await fake.sendExchange({
      tamper: bytes => {
        const message = Exchange.decode(bytes)
        return Exchange.encode({ ...message, signature: new Uint8Array(edit(message.signature ?? new Uint8Array())) })
      }
    })
  }
}

/** Honest up to the keys, then this as the nonce frame(s), written in one go. */
function nonceWith (make: (fake: FakePeer) => Array<Uint8Array | Uint8ArrayList>) {
  return async (fake: FakePeer): Promise<void> => {
    await fake.upToKeys()
    await fake.writeRaw(...make(fake))
  }
}

describe('secio handshake against hostile input', function () {
  this.timeout(20_000)

  describe('signatures', () => {
    for (const kind of ['Ed25519', 'secp256k1', 'RSA'] as KeyKind[]) {
      it(`rejects a ${kind} Exchange signature with its last byte flipped (BadSignatureError)`, async () => {
        const fakeKey = (await peer(kind)).privateKey
        const outcome = await against(exchangeSignatureEdited(sig => flipByte(sig, -1)), { fakeKey })
        await expectRejected(outcome, 'BadSignatureError')
        expect(outcome.written, 'no nonce frame after a bad signature').to.have.lengthOf(2)
      })

      it(`rejects a ${kind} Exchange signature with its first byte flipped (malformed encoding: BadSignatureError)`, async () => {
        const fakeKey = (await peer(kind)).privateKey
        const outcome = await against(exchangeSignatureEdited(sig => flipByte(sig, 0, 0xff)), { fakeKey })
        await expectRejected(outcome, 'BadSignatureError')
        expect(outcome.written).to.have.lengthOf(2)
      })
    }

    it('rejects a truncated signature (BadSignatureError)', async () => {
      const outcome = await against(exchangeSignatureEdited(sig => sig.subarray(0, 10)))
      await expectRejected(outcome, 'BadSignatureError')
    })

    it('rejects an Exchange without a signature (InvalidExchangeError)', async () => {
      const outcome = await against(exchangeSignatureEdited(() => new Uint8Array()))
      await expectRejected(outcome, 'InvalidExchangeError')
      expect(outcome.written).to.have.lengthOf(2)
    })

    it('rejects a valid signature over another ephemeral key than the one sent (BadSignatureError)', async () => {
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
        const substitute = createECDH('prime256v1')
        substitute.generateKeys()
        await fake.sendExchange({
          tamper: bytes => Exchange.encode({ ...Exchange.decode(bytes), epubkey: new Uint8Array(substitute.getPublicKey()) })
        })
      })
      await expectRejected(outcome, 'BadSignatureError')
    })

    it('rejects a signature made with another key than the Propose\'s (BadSignatureError)', async () => {
      const other = (await peer()).privateKey
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
        // sign the correct corpus, but with a key the Propose did not announce
        const impostor = new FakePeer(fake.raw, { privateKey: other })
        impostor.local = fake.local
        impostor.remote = fake.remote
        impostor.order = fake.order
        impostor.suite = fake.suite
        await impostor.sendExchange()
      })
      await expectRejected(outcome, 'BadSignatureError')
    })

    const tamperings: Array<{ what: string, find: string, replace: string }> = [
      { what: 'one byte of the exchanges list (P-521 → P-522)', find: 'P-521', replace: 'P-522' },
      { what: 'the cipher list, downgrading AES-256 to AES-128', find: 'AES-256', replace: 'AES-128' },
      { what: 'one byte of the nonce', find: '', replace: '' }
    ]

    for (const { what, find, replace } of tamperings) {
      it(`fails the signature check when a MITM modifies ${what} in A's Propose`, async () => {
        const [alice, bob] = await Promise.all([peer(), peer()])
        let tampered = false
        const mitm = relay({
          frame: (direction: Direction, index, payload) => {
            if (direction !== 'a->b' || index !== 0) return payload
            const copy = Buffer.from(payload)
            if (find === '') {
              // rand is the first field: 0x0a 0x10 <16 bytes>
              copy[2] = (copy[2] ?? 0) ^ 0x01
            } else {
              const at = copy.indexOf(find)
              // not found: forwarded untouched, and `tampered` below fails the test
              if (at < 0) return payload
              copy.write(replace, at)
            }
            tampered = true
            return copy
          }
        })
        const signal = AbortSignal.timeout(5_000)
        const [a, b] = await Promise.allSettled([
          encrypter(alice).secureOutbound(mitm.a, { signal, remotePeer: bob.peerId }),
          encrypter(bob).secureInbound(mitm.b, { signal })
        ])

        expect(tampered, `the MITM found "${find}" in A's Propose and changed it`).to.equal(true)
        // B sees A's signature fail over the Propose it received; A sees B's fail over the
        // Propose A really sent. Each sends its Exchange before reading the other's, so the
        // other's Exchange is in before any reset: both check, both see the bad signature.
        expect(rejection(a).name, 'A (dialer)').to.equal('BadSignatureError')
        expect(rejection(b).name, 'B (listener)').to.equal('BadSignatureError')
        // both ends closed; which one aborted first and which saw the other's reset is a race
        await closed(mitm.a)
        await closed(mitm.b)
        // neither side ever got as far as a nonce frame
        expect(mitm.frames['a->b']).to.be.at.most(2)
        expect(mitm.frames['b->a']).to.be.at.most(2)
      })
    }
  })

  describe('identity', () => {
    it('rejects the wrong expected PeerId (UnexpectedPeerError naming both ids) before sending our Exchange', async () => {
      const [bob, carol] = await Promise.all([peer(), peer()])
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
      }, { expect: carol.peerId, fakeKey: bob.privateKey })

      await expectRejected(outcome, 'UnexpectedPeerError')
      // the one class from @libp2p/interface, not a package-private subclass
      expect(Object.getPrototypeOf(outcome.err)).to.equal(UnexpectedPeerError.prototype)
      expect(outcome.err.message).to.include(carol.peerId.toString()).and.to.include(bob.peerId.toString())
      expect(outcome.err.expected.equals(carol.peerId)).to.equal(true)
      expect(outcome.err.actual.equals(bob.peerId)).to.equal(true)
      expect(outcome.written, 'only our Propose went out').to.have.lengthOf(1)
      expect(() => Propose.decode(outcome.written[0] ?? new Uint8Array())).to.not.throw()
      // and the fake never receives a second message: its next read meets our reset
      expect((await rejectionOf(outcome.fake.readMessage())).name).to.equal('StreamResetError')
    })

    it('the package exports no UnexpectedPeerError class of its own (@libp2p/interface has the one every package throws)', async () => {
      const exports: Record<string, unknown> = await import('../src/index.js')
      expect(exports).to.not.have.property('UnexpectedPeerError')
    })

    it('rejects the wrong expected PeerId between two Uplink peers (dialer side)', async () => {
      const [alice, bob, carol] = await Promise.all([peer(), peer(), peer()])
      const [d, l, raw] = await handshakeSettled(encrypter(alice), encrypter(bob), carol.peerId)
      expect(rejection(d).name).to.equal('UnexpectedPeerError')
      // the dialer stops before its Exchange, so the listener, waiting for it, meets the reset
      expect(rejection(l).name).to.equal('StreamResetError')
      expect(await closed(raw[0])).to.equal('aborted')
      expect(await closed(raw[1])).to.equal('reset')
    })

    it('detects a connection to ourselves: same key and same nonce on both sides (SelfConnectionError)', async () => {
      const alice = await peer()
      const nonce = randomBytes(16)
      const [d, l, raw] = await handshakeSettled(encrypter(alice, {}, { nonce }), encrypter(alice, {}, { nonce }))
      // each side sends its Propose before reading the other's, so both see the loop
      expect(rejection(d).name).to.equal('SelfConnectionError')
      expect(rejection(l).name).to.equal('SelfConnectionError')
      // both ends closed; which one aborted first and which saw the other's reset is a race
      await closed(raw[0])
      await closed(raw[1])
    })

    it('detects a fake that replays our own Propose back at us (SelfConnectionError, before our Exchange)', async () => {
      const outcome = await against(async (fake) => {
        // echo whatever the Uplink side proposed: same key, same nonce
        await fake.writeMessage(await fake.readMessage())
      })
      await expectRejected(outcome, 'SelfConnectionError')
      expect(outcome.written).to.have.lengthOf(1)
    })

    it('refuses our own RSA-1024 identity before writing anything (UnsupportedIdentityError)', async () => {
      const privateKey = await generateKeyPair('RSA', 1024)
      const outcome = await against(async () => {}, { uplink: { privateKey, peerId: peerIdFromPrivateKey(privateKey) } })
      await expectRejected(outcome, 'UnsupportedIdentityError')
      expect(outcome.written).to.have.lengthOf(0)
    })

    it('refuses our own ECDSA identity before writing anything (UnsupportedIdentityError)', async () => {
      const privateKey = await generateKeyPair('ECDSA')
      // @libp2p/peer-id cannot even derive a PeerId for it; the encrypter never needs one
      const outcome = await against(async () => {}, { uplink: { privateKey, peerId: (await peer()).peerId } })
      await expectRejected(outcome, 'UnsupportedIdentityError')
      expect(outcome.written).to.have.lengthOf(0)
    })
  })

  describe('algorithm negotiation', () => {
    const disjoint: Array<[string, SecioInit, SecioInit]> = [
      ['exchanges', { exchanges: ['P-256'] }, { exchanges: ['P-384', 'P-521'] }],
      ['ciphers', { ciphers: ['AES-256'] }, { ciphers: ['AES-128'] }],
      ['hashes', { hashes: ['SHA256'] }, { hashes: ['SHA512'] }]
    ]

    for (const [field, mine, theirs] of disjoint) {
      it(`fails with NoCommonAlgorithmError when the ${field} lists are disjoint (both sides)`, async () => {
        const [alice, bob] = await Promise.all([peer(), peer()])
        const [d, l, raw] = await handshakeSettled(encrypter(alice, mine), encrypter(bob, theirs), bob.peerId)
        // each side sends its Propose before reading the other's, so both judge the lists
        expect(rejection(d).name).to.equal('NoCommonAlgorithmError')
        expect(rejection(l).name).to.equal('NoCommonAlgorithmError')
        // both ends closed; which one aborted first and which saw the other's reset is a race
        await closed(raw[0])
        await closed(raw[1])
      })
    }

    const hostileLists: Array<[string, Partial<Propose>]> = [
      ['a missing hashes field', { hashes: undefined }],
      ['an empty exchanges field', { exchanges: '' }],
      ['lower-case curve names', { exchanges: 'p-256,p-384' }],
      ['names padded with spaces', { ciphers: ' AES-256, AES-128' }],
      ['a cipher we do not run (Blowfish)', { ciphers: 'Blowfish' }],
      ['a hash we do not run (SHA1)', { hashes: 'SHA1' }]
    ]

    for (const [what, fields] of hostileLists) {
      it(`fails with NoCommonAlgorithmError on ${what}, before our Exchange`, async () => {
        const key = await generateKeyPair('Ed25519')
        const outcome = await against(sendsPropose(proposeWith({ pubkey: new Uint8Array(localIdentityProtobuf(key)), ...fields })), { fakeKey: key })
        await expectRejected(outcome, 'NoCommonAlgorithmError')
        expect(outcome.written).to.have.lengthOf(1)
      })
    }
  })

  describe('malformed Propose', () => {
    const ed25519 = (): Uint8Array<ArrayBuffer> => pubkey(KeyType.Ed25519, randomBytes(32))

    const cases: Array<[string, RegExp, () => Uint8Array]> = [
      ['bytes that are not a protobuf', /not a valid protobuf/, () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a])],
      ['an empty message', /nonce/, () => new Uint8Array()],
      ['a missing pubkey', /no public key/, () => proposeWith({})],
      ['an empty pubkey', /no public key/, () => proposeWith({ pubkey: new Uint8Array() })],
      ['a pubkey that is not a PublicKey protobuf', /not a PublicKey protobuf/, () => proposeWith({ pubkey: new Uint8Array([0xff, 0xff, 0xff]) })],
      ['a 15-byte nonce', /got 15/, () => proposeWith({ pubkey: ed25519(), rand: new Uint8Array(15) })],
      ['a 17-byte nonce', /got 17/, () => proposeWith({ pubkey: ed25519(), rand: new Uint8Array(17) })],
      ['a missing nonce', /nonce/, () => proposeWith({ pubkey: ed25519(), rand: undefined })],
      ['an unknown key type (7)', /PublicKey protobuf|unsupported/, () => proposeWith({ pubkey: new Uint8Array([0x08, 0x07, 0x12, 0x20, ...randomBytes(32)]) })],
      ['a PublicKey without a type', /unsupported/, () => proposeWith({ pubkey: new Uint8Array([0x12, 0x20, ...randomBytes(32)]) })],
      ['a 31-byte Ed25519 key', /got 31/, () => proposeWith({ pubkey: pubkey(KeyType.Ed25519, randomBytes(31)) })],
      ['a 33-byte Ed25519 key', /got 33/, () => proposeWith({ pubkey: pubkey(KeyType.Ed25519, randomBytes(33)) })],
      ['a secp256k1 key that is not a point', /Secp256k1/, () => proposeWith({ pubkey: pubkey(KeyType.Secp256k1, new Uint8Array([0x02, ...new Uint8Array(32).fill(0xff)])) })],
      ['a secp256k1 key of the wrong length', /got 20/, () => proposeWith({ pubkey: pubkey(KeyType.Secp256k1, randomBytes(20)) })],
      ['an ECDSA key on secp256k1 (PKIX)', /P-256, P-384 or P-521/, () => proposeWith({ pubkey: pubkey(KeyType.ECDSA, spki(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey)) })],
      ['an ECDSA key that is not PKIX DER', /not PKIX/, () => proposeWith({ pubkey: pubkey(KeyType.ECDSA, randomBytes(91)) })],
      ['an ECDSA type carrying an RSA key', /P-256, P-384 or P-521/, () => proposeWith({ pubkey: pubkey(KeyType.ECDSA, rsaSpkiOfBits(2048)) })],
      ['an RSA type carrying a P-256 key', /non-RSA/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, spki(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey)) })],
      ['an RSA type carrying an Ed25519 key', /non-RSA/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, spki(generateKeyPairSync('ed25519').publicKey)) })],
      ['an RSA-1024 key', /got 1024/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, spki(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)) })],
      ['an RSA-2040 key (just under 2048)', /got 2040/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, rsaSpkiOfBits(2040)) })],
      ['an RSA-8200 key (just over 8192)', /got 8200/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, rsaSpkiOfBits(8200)) })],
      ['an RSA-16384 key', /got 16384/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, rsaSpkiOfBits(16384)) })],
      ['an RSA key that is not PKIX DER', /not PKIX/, () => proposeWith({ pubkey: pubkey(KeyType.RSA, randomBytes(294)) })]
    ]

    for (const [what, message, make] of cases) {
      it(`rejects a Propose with ${what} (InvalidProposeError), before our Exchange`, async () => {
        const outcome = await against(sendsPropose(make()))
        await expectRejected(outcome, 'InvalidProposeError')
        expect(outcome.err.message).to.match(message)
        expect(outcome.written, 'only our Propose went out').to.have.lengthOf(1)
      })
    }
  })

  describe('malformed Exchange', () => {
    it('rejects a compressed ephemeral point (0x02/0x03, 33 bytes), even validly signed (InvalidExchangeError)', async () => {
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
        const ecdh = createECDH('prime256v1')
        ecdh.generateKeys()
        const compressed = ecdh.getPublicKey(null, 'compressed')
        expect(compressed.byteLength).to.equal(33)
        expect([0x02, 0x03]).to.include(compressed[0])
        await fake.sendExchange({ ephemeralKey: compressed })
      })
      await expectRejected(outcome, 'InvalidExchangeError')
      expect(outcome.written, 'no nonce frame').to.have.lengthOf(2)
    })

    it('rejects a hybrid-form point (0x06/0x07, 65 bytes) (InvalidExchangeError)', async () => {
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
        const ecdh = createECDH('prime256v1')
        ecdh.generateKeys()
        await fake.sendExchange({ ephemeralKey: ecdh.getPublicKey(null, 'hybrid') })
      })
      await expectRejected(outcome, 'InvalidExchangeError')
    })

    for (const [what, make] of [
      ['64 bytes (one short)', (key: Uint8Array) => key.subarray(0, 64)],
      ['66 bytes (one extra)', (key: Uint8Array) => new Uint8Array([...key, 0])],
      ['a P-384-sized point on a P-256 suite', () => new Uint8Array([0x04, ...randomBytes(96)])],
      ['empty', () => new Uint8Array()]
    ] as Array<[string, (key: Uint8Array) => Uint8Array]>) {
      it(`rejects an ephemeral key of the wrong length: ${what} (InvalidExchangeError)`, async () => {
        const outcome = await against(async (fake) => {
          await fake.sendPropose()
          await fake.readPropose()
          const ecdh = createECDH('prime256v1')
          ecdh.generateKeys()
          await fake.sendExchange({ ephemeralKey: make(ecdh.getPublicKey()) })
        })
        await expectRejected(outcome, 'InvalidExchangeError')
        expect(outcome.written).to.have.lengthOf(2)
      })
    }

    for (const [what, make] of [
      ['0x04 ‖ random X ‖ random Y', () => new Uint8Array([0x04, ...randomBytes(64)])],
      ['the all-zero point', () => new Uint8Array([0x04, ...new Uint8Array(64)])],
      ['coordinates all 0xff (≥ the field prime)', () => new Uint8Array([0x04, ...new Uint8Array(64).fill(0xff)])]
    ] as Array<[string, () => Uint8Array]>) {
      it(`rejects an off-curve point with a valid signature over it: ${what} (InvalidExchangeError)`, async () => {
        const outcome = await against(async (fake) => {
          await fake.sendPropose()
          await fake.readPropose()
          await fake.sendExchange({ ephemeralKey: make() })
        })
        await expectRejected(outcome, 'InvalidExchangeError')
        expect(outcome.written, 'no nonce frame').to.have.lengthOf(2)
      })
    }

    it('rejects an Exchange that is not a protobuf (InvalidExchangeError)', async () => {
      const outcome = await against(exchangeWith(async () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f])))
      await expectRejected(outcome, 'InvalidExchangeError')
    })

    it('rejects an empty Exchange (InvalidExchangeError)', async () => {
      const outcome = await against(exchangeWith(async () => new Uint8Array()))
      await expectRejected(outcome, 'InvalidExchangeError')
    })
  })

  describe('nonce frame (key confirmation)', () => {
    const cases: Array<[string, string, (fake: FakePeer) => Array<Uint8Array | Uint8ArrayList>]> = [
      ['the wrong nonce', 'NonceMismatchError', fake => [fake.seal(randomBytes(16))]],
      ['its own nonce reflected instead of ours', 'NonceMismatchError', fake => [fake.seal(fake.local.nonce)]],
      // every byte of the echo counts, not a prefix of it
      ['our nonce with its last byte flipped', 'NonceMismatchError', fake => [fake.seal(flipByte(fake.remote?.nonce ?? new Uint8Array(), -1))]],
      ['our nonce with byte 8 (the first of its second half) flipped', 'NonceMismatchError', fake => [fake.seal(flipByte(fake.remote?.nonce ?? new Uint8Array(), 8))]],
      ['our nonce plus one byte (17 bytes)', 'NonceMismatchError', fake => [fake.seal(new Uint8Array([...fake.remote?.nonce ?? [], 0]))]],
      ['15 bytes of our nonce', 'NonceMismatchError', fake => [fake.seal((fake.remote?.nonce ?? new Uint8Array()).subarray(0, 15))]],
      ['an empty frame (MAC only)', 'NonceMismatchError', fake => [fake.seal(new Uint8Array())]],
      ['our nonce split over two frames (8 + 8) in one write', 'NonceMismatchError', fake => {
        const nonce = fake.remote?.nonce ?? new Uint8Array()
        return [fake.seal(nonce.subarray(0, 8)), fake.seal(nonce.subarray(8))]
      }],
      ['a frame shorter than a MAC (L = 10)', 'NonceMismatchError', () => [prefix(10), randomBytes(10)]],
      ['a flipped MAC byte', 'MacMismatchError', fake => [flipByte(fake.nonceFrame().subarray(), -1)]],
      ['a flipped ciphertext byte', 'MacMismatchError', fake => [flipByte(fake.nonceFrame().subarray(), 4)]],
      ['our nonce in the clear with a random MAC', 'MacMismatchError', fake => [prefix(48), fake.remote?.nonce ?? new Uint8Array(), randomBytes(32)]]
    ]

    for (const [what, name, make] of cases) {
      it(`rejects ${what} (${name})`, async () => {
        const outcome = await against(nonceWith(make))
        await expectRejected(outcome, name)
      })
    }

    it('rejects our nonce split over two frames in two separate writes (NonceMismatchError)', async () => {
      const outcome = await against(async (fake) => {
        await fake.upToKeys()
        const nonce = fake.remote?.nonce ?? new Uint8Array()
        await fake.writeRaw(fake.seal(nonce.subarray(0, 8)))
        await new Promise(resolve => setTimeout(resolve, 20))
        await fake.writeRaw(fake.seal(nonce.subarray(8)))
      })
      await expectRejected(outcome, 'NonceMismatchError')
    })

    // a wait for the body would end in the 5 s signal's TimeoutError instead
    it('rejects a nonce frame length over 8 MiB from its prefix alone (NonceMismatchError caused by InvalidFrameLengthError)', async () => {
      const outcome = await against(nonceWith(() => [prefix(8 * 1024 * 1024 + 1)]))
      await expectRejected(outcome, 'NonceMismatchError')
      expect(outcome.err.cause?.name).to.equal('InvalidFrameLengthError')
    })
  })

  describe('handshake message lengths', () => {
    const lengths: Array<[string, number]> = [
      ['MAX_HANDSHAKE_MESSAGE_LENGTH + 1', MAX_HANDSHAKE_MESSAGE_LENGTH + 1],
      ['8 MiB + 1', 8 * 1024 * 1024 + 1],
      ['0x80000000 (negative if read as signed)', 0x80000000],
      ['0xffffffff (-1 if read as signed)', 0xffffffff]
    ]

    for (const [what, length] of lengths) {
      it(`refuses a Propose length of ${what} from the prefix alone (InvalidFrameLengthError)`, async () => {
        // only the 4-byte prefix is ever sent: waiting for the body would end in the 5 s signal's TimeoutError
        const outcome = await against(async fake => { await fake.writeRaw(prefix(length)) })
        await expectRejected(outcome, 'InvalidFrameLengthError')
        expect(outcome.written).to.have.lengthOf(1)
      })

      it(`refuses an Exchange length of ${what} from the prefix alone (InvalidFrameLengthError)`, async () => {
        const outcome = await against(async (fake) => {
          await fake.sendPropose()
          await fake.readPropose()
          await fake.writeRaw(prefix(length))
        })
        await expectRejected(outcome, 'InvalidFrameLengthError')
        expect(outcome.written).to.have.lengthOf(2)
      })
    }

    it('reads a Propose of exactly MAX_HANDSHAKE_MESSAGE_LENGTH bytes (then judges its content)', async () => {
      const big = new Uint8Array(MAX_HANDSHAKE_MESSAGE_LENGTH).fill(0xff)
      const outcome = await against(sendsPropose(big))
      await expectRejected(outcome, 'InvalidProposeError')
    })
  })

  describe('truncation and resets', () => {
    /** The peer ended the connection cleanly: both ends are closed, nothing was reset. */
    const PEER_CLOSED: Ends = { uplink: 'closed', fake: 'closed' }

    it('fails with UnexpectedEOFError when the peer closes in the middle of its Propose', async () => {
      const outcome = await against(async (fake) => {
        const propose = fake.local.bytes
        await fake.writeRaw(prefix(propose.byteLength), propose.subarray(0, 20))
        await fake.raw.close()
      })
      await expectRejected(outcome, 'UnexpectedEOFError', PEER_CLOSED)
    })

    it('fails with UnexpectedEOFError when the peer closes in the middle of the length prefix', async () => {
      const outcome = await against(async (fake) => {
        await fake.writeRaw(new Uint8Array([0, 0]))
        await fake.raw.close()
      })
      await expectRejected(outcome, 'UnexpectedEOFError', PEER_CLOSED)
    })

    it('fails with UnexpectedEOFError when the peer closes in the middle of its Exchange', async () => {
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
        await fake.writeRaw(prefix(100), randomBytes(50))
        await fake.raw.close()
      })
      await expectRejected(outcome, 'UnexpectedEOFError', PEER_CLOSED)
    })

    it('fails with UnexpectedEOFError when the peer closes in the middle of its nonce frame', async () => {
      const outcome = await against(async (fake) => {
        await fake.upToKeys()
        await fake.writeRaw(fake.nonceFrame().subarray(0, 30))
        await fake.raw.close()
      })
      await expectRejected(outcome, 'UnexpectedEOFError', PEER_CLOSED)
    })

    it('fails with StreamResetError when the peer resets the connection mid-handshake, whether we are writing or reading then', async () => {
      const outcome = await against(async (fake) => {
        await fake.sendPropose()
        await fake.readPropose()
        fake.raw.abort(new Error('peer gives up'))
      })
      await expectRejected(outcome, 'StreamResetError', { uplink: 'reset', fake: 'aborted' })
    })
  })

  describe('slow peers', () => {
    it('rejects with the caller\'s own TimeoutError when its signal times out and the peer never answers', async () => {
      const signal = AbortSignal.timeout(200)
      const outcome = await against(async () => {}, { signal })
      await expectRejected(outcome, 'TimeoutError')
      expect(outcome.err, 'the reason of the caller\'s signal').to.equal(signal.reason)
      expect(outcome.written, 'our Propose still went out').to.have.lengthOf(1)
    })

    it('rejects with the caller\'s AbortError when the caller aborts in the middle of the handshake', async () => {
      const controller = new AbortController()
      const outcome = await against(async (fake) => {
        // abort once our Propose has reached the peer, which never answers it
        await fake.readMessage()
        controller.abort()
      }, { signal: controller.signal })
      await expectRejected(outcome, 'AbortError')
      expect(outcome.err).to.equal(controller.signal.reason)
      expect(outcome.written).to.have.lengthOf(1)
    })

    it('rejects with AbortError before writing anything when the signal is already aborted', async () => {
      const signal = AbortSignal.abort()
      const outcome = await against(async () => {}, { signal })
      await expectRejected(outcome, 'AbortError')
      expect(outcome.err).to.equal(signal.reason)
      expect(outcome.written, 'nothing went out').to.have.lengthOf(0)
    })

    it('rejects with SECIO\'s own TimeoutError (init.handshakeTimeout) with no caller signal', async () => {
      const uplink = await peer()
      const [raw, fakeRaw] = multiaddrConnectionPair()
      const err = await rejectionOf(encrypter(uplink, { handshakeTimeout: 200 }).secureInbound(raw))
      expect(err.name).to.equal('TimeoutError')
      expect(err).to.be.instanceOf(DeadlineExceededError)
      expect(err.timeoutMs, 'the deadline that fired').to.equal(200)
      expect(await closed(raw)).to.equal('aborted')
      expect(await closed(fakeRaw)).to.equal('reset')
    })

    it('times out a peer that stalls in the middle of a message', async () => {
      const outcome = await against(async (fake) => {
        await fake.writeRaw(prefix(fake.local.bytes.byteLength), fake.local.bytes.subarray(0, 10))
      }, { init: { handshakeTimeout: 200 } })
      await expectRejected(outcome, 'TimeoutError')
      expect(outcome.err.timeoutMs).to.equal(200)
    })

    it('times out a peer that stops after the Exchange (never sends its nonce frame)', async () => {
      const outcome = await against(async (fake) => { await fake.upToKeys() }, { init: { handshakeTimeout: 300 } })
      await expectRejected(outcome, 'TimeoutError')
      expect(outcome.err.timeoutMs).to.equal(300)
      // our nonce frame too, except in the 1-in-256 leading-zero case where the order winner waits for theirs first
      expect(outcome.written.length).to.be.within(2, 3)
    })
  })
})
