import { generateKeyPair, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { UnexpectedPeerError as InterfaceUnexpectedPeerError } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair, streamPair } from '@libp2p/utils'
import { expect } from 'chai'
import { concat as uint8ArrayConcat } from 'uint8arrays/concat'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { MAX_EXCHANGE_SIZE, PROTOCOL } from '../src/index.js'
import { Exchange } from '../src/pb/proto.js'
import {
  bytesField, collectBytes, createEncrypter, exchangeMessage, frame, legacyExchange, publicKeyMessage,
  readFrame, rejection, specExchange, varint
} from './utils.js'
import type { PrivateKey } from '@libp2p/interface'

describe('plaintext', function () {
  const keys: Record<'Ed25519' | 'secp256k1' | 'RSA' | 'ECDSA', PrivateKey[]> = {
    Ed25519: [],
    secp256k1: [],
    RSA: [],
    ECDSA: []
  }
  let local: PrivateKey
  let remote: PrivateKey
  let other: PrivateKey

  before(async function () {
    this.timeout(60_000)

    for (const type of ['Ed25519', 'secp256k1', 'ECDSA'] as const) {
      keys[type] = [await generateKeyPair(type), await generateKeyPair(type)]
    }

    keys.RSA = [await generateKeyPair('RSA', 2048), await generateKeyPair('RSA', 2048)]
    ;[local, remote] = keys.Ed25519 as [PrivateKey, PrivateKey]
    other = await generateKeyPair('Ed25519')
  })

  it('identifies itself', () => {
    const encrypter = createEncrypter(local)

    expect(PROTOCOL).to.equal('/plaintext/2.0.0')
    expect(encrypter.protocol).to.equal(PROTOCOL)
    expect(Object.prototype.toString.call(encrypter)).to.equal('[object @uplink/plaintext]')
  })

  it('rejects an unknown encoding option', () => {
    // @ts-expect-error deliberately invalid
    expect(() => createEncrypter(local, { encoding: 'bogus' })).to.throw(TypeError, /bogus/)
  })

  describe('handshake', () => {
    for (const type of ['Ed25519', 'secp256k1', 'RSA'] as const) {
      for (const encoding of ['spec', 'legacy-js', 'auto'] as const) {
        it(`exchanges ${type} identities (${encoding} form)`, async () => {
          const [dialerKey, listenerKey] = keys[type] as [PrivateKey, PrivateKey]
          const [outbound, inbound] = multiaddrConnectionPair()

          const [dialed, listened] = await Promise.all([
            createEncrypter(dialerKey, { encoding }).secureOutbound(outbound, { remotePeer: peerIdFromPrivateKey(listenerKey) }),
            createEncrypter(listenerKey, { encoding }).secureInbound(inbound)
          ])

          expect(dialed.remotePeer.toString()).to.equal(peerIdFromPrivateKey(listenerKey).toString())
          expect(listened.remotePeer.toString()).to.equal(peerIdFromPrivateKey(dialerKey).toString())
          expect(dialed.remotePeer.publicKey?.equals(listenerKey.publicKey)).to.equal(true)
          // the secured connections carry what is written on them as it is, both ways
          dialed.connection.send(Uint8Array.from([1, 2, 3]))
          listened.connection.send(Uint8Array.from([4, 5]))
          expect(await collectBytes(listened.connection, 3)).to.eql(Uint8Array.from([1, 2, 3]))
          expect(await collectBytes(dialed.connection, 2)).to.eql(Uint8Array.from([4, 5]))
        })
      }
    }

    it('works over a Stream as well as a MultiaddrConnection', async () => {
      const [outbound, inbound] = await streamPair()

      const [dialed, listened] = await Promise.all([
        createEncrypter(local).secureOutbound(outbound),
        createEncrypter(remote).secureInbound(inbound)
      ])

      expect(dialed.remotePeer.toString()).to.equal(peerIdFromPrivateKey(remote).toString())
      expect(listened.remotePeer.toString()).to.equal(peerIdFromPrivateKey(local).toString())
    })
  })

  describe('expected peer', () => {
    it('rejects a peer that is not the one we dialled, naming both', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const expected = peerIdFromPrivateKey(other)
      const actual = peerIdFromPrivateKey(remote)

      const [err] = await Promise.all([
        rejection(createEncrypter(local).secureOutbound(outbound, { remotePeer: expected })),
        createEncrypter(remote).secureInbound(inbound).catch(() => {})
      ])

      expect(err.name).to.equal('UnexpectedPeerError')
      expect(err.message).to.include(expected.toString())
      expect(err.message).to.include(actual.toString())
      expect(err).to.be.instanceOf(InterfaceUnexpectedPeerError)
      // the one class from @libp2p/interface, not a package-private subclass
      expect(Object.getPrototypeOf(err)).to.equal(InterfaceUnexpectedPeerError.prototype)
      expect((err as any).expected.equals(expected)).to.equal(true)
      expect((err as any).actual.equals(actual)).to.equal(true)
      expect(outbound.status).to.equal('aborted')
    })
  })

  it('exports no UnexpectedPeerError class of its own (@libp2p/interface has the one every package throws)', async () => {
    const exports: Record<string, unknown> = await import('../src/index.js')
    expect(exports).to.not.have.property('UnexpectedPeerError')
  })

  describe('invalid exchanges', () => {
    /**
     * Run our outbound handshake against a hand-driven peer that answers with
     * `reply` (raw bytes, framing included)
     */
    async function againstRawPeer (reply: Uint8Array, opts: { close?: boolean, signal?: AbortSignal } = {}): Promise<Error & { cause?: any }> {
      const [outbound, inbound] = multiaddrConnectionPair()
      const result = rejection(createEncrypter(local).secureOutbound(outbound, { signal: opts.signal }))

      await readFrame(inbound)
      inbound.send(reply)

      if (opts.close === true) {
        await inbound.close()
      }

      const err = await result
      expect(outbound.status).to.not.equal('open')

      return err
    }

    it('rejects an id that does not match the key', async () => {
      const err = await againstRawPeer(frame(exchangeMessage(
        other.publicKey.toMultihash().bytes,
        publicKeyMessage(1, remote.publicKey.raw)
      )))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.message).to.include(peerIdFromPrivateKey(other).toString())
      expect(err.message).to.include(peerIdFromPrivateKey(remote).toString())
    })

    it('rejects a key type that has no PeerId (ECDSA)', async () => {
      const ecdsa = keys.ECDSA[0] as PrivateKey
      const err = await againstRawPeer(frame(specExchange(ecdsa.publicKey)))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'UnsupportedKeyTypeError')
    })

    it('rejects a missing pubkey', async () => {
      const err = await againstRawPeer(frame(exchangeMessage(remote.publicKey.toMultihash().bytes, undefined)))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.message).to.match(/no pubkey/)
    })

    it('rejects a missing id', async () => {
      const err = await againstRawPeer(frame(exchangeMessage(undefined, publicKeyMessage(1, remote.publicKey.raw))))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.message).to.match(/no id/)
    })

    it('rejects an empty message', async () => {
      const err = await againstRawPeer(frame(new Uint8Array()))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
    })

    it('rejects garbage bytes', async () => {
      const err = await againstRawPeer(frame(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x42])))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.message).to.match(/not a valid protobuf/)
      expect(err.cause).to.be.instanceOf(Error)
    })

    it('rejects a key that does not parse, keeping the cause', async () => {
      const err = await againstRawPeer(frame(exchangeMessage(
        remote.publicKey.toMultihash().bytes,
        publicKeyMessage(1, Uint8Array.from([1, 2, 3]))
      )))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.be.instanceOf(Error)
    })

    it('rejects an oversized length prefix without waiting for the body', async function () {
      // if we waited for the million-byte body the test would time out
      this.timeout(2000)

      const err = await againstRawPeer(varint(1_000_000))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'ExchangeTooLargeError')
    })

    it('rejects a length one byte over the limit', async function () {
      this.timeout(2000)

      const err = await againstRawPeer(varint(MAX_EXCHANGE_SIZE + 1))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'ExchangeTooLargeError')
    })

    it('rejects a never-ending length prefix', async function () {
      this.timeout(2000)

      const err = await againstRawPeer(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80]))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'ExchangeTooLargeError')
    })

    it('rejects a message truncated by the peer closing', async () => {
      const body = specExchange(remote.publicKey)
      const err = await againstRawPeer(frame(body).subarray(0, 10), { close: true })

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'UnexpectedEOFError')
    })

    it('rejects a peer that closes without answering', async () => {
      const err = await againstRawPeer(new Uint8Array(), { close: true })

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'UnexpectedEOFError')
    })
  })

  describe('abort signal', () => {
    it('times out a peer that never answers', async () => {
      const [outbound] = multiaddrConnectionPair()

      const err = await rejection(createEncrypter(local).secureOutbound(outbound, { signal: AbortSignal.timeout(100) }))

      expect(err.name).to.equal('TimeoutError')
      expect(err.cause).to.have.property('name', 'TimeoutError')
      expect(outbound.status).to.equal('aborted')
    })

    it('aborts when the caller aborts', async () => {
      const [, inbound] = multiaddrConnectionPair()
      const controller = new AbortController()
      const result = rejection(createEncrypter(local).secureInbound(inbound, { signal: controller.signal }))

      setTimeout(() => { controller.abort() }, 20)
      const err = await result

      expect(err.name).to.equal('AbortError')
      expect(inbound.status).to.equal('aborted')
    })

    it('aborts a slow peer half way through its message', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const result = rejection(createEncrypter(local).secureOutbound(outbound, { signal: AbortSignal.timeout(200) }))

      await readFrame(inbound)
      inbound.send(frame(specExchange(remote.publicKey)).subarray(0, 5))

      const err = await result
      expect(err.name).to.equal('TimeoutError')
    })

    it('does not start with an already-aborted signal', async () => {
      const [outbound] = multiaddrConnectionPair()
      const err = await rejection(createEncrypter(local).secureOutbound(outbound, { signal: AbortSignal.abort() }))

      expect(err.name).to.equal('AbortError')
    })

    it('honours the signal in auto mode while waiting for the dialer', async () => {
      const [, inbound] = multiaddrConnectionPair()
      const err = await rejection(createEncrypter(local, { encoding: 'auto' }).secureInbound(inbound, { signal: AbortSignal.timeout(50) }))

      expect(err.name).to.equal('TimeoutError')
    })
  })

  describe('early data', () => {
    it('delivers bytes sent in the same chunk as the exchange to the next layer', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const early = uint8ArrayFromString('/multistream/1.0.0\n')
      const result = createEncrypter(local).secureOutbound(outbound)

      await readFrame(inbound)
      inbound.send(uint8ArrayConcat([frame(specExchange(remote.publicKey)), early]))

      const { connection, remotePeer } = await result
      expect(remotePeer.toString()).to.equal(peerIdFromPrivateKey(remote).toString())
      expect(await collectBytes(connection, early.byteLength)).to.eql(early)
    })

    it('delivers bytes the peer writes straight after its handshake', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const payload = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251)

      const [dialed, listened] = await Promise.all([
        createEncrypter(local).secureOutbound(outbound),
        createEncrypter(remote).secureInbound(inbound).then((result) => {
          result.connection.send(payload)
          return result
        })
      ])

      expect(listened.remotePeer.toString()).to.equal(peerIdFromPrivateKey(local).toString())
      expect(await collectBytes(dialed.connection, payload.byteLength)).to.eql(payload)
    })
  })

  describe('legacy js-libp2p 0.28/0.29 form', () => {
    for (const type of ['Ed25519', 'secp256k1', 'RSA'] as const) {
      it(`accepts a legacy-form ${type} exchange`, async () => {
        const [ourKey, theirKey] = keys[type] as [PrivateKey, PrivateKey]
        const [outbound, inbound] = multiaddrConnectionPair()
        const result = createEncrypter(ourKey).secureOutbound(outbound, { remotePeer: peerIdFromPrivateKey(theirKey) })

        await readFrame(inbound)
        inbound.send(frame(legacyExchange(theirKey.publicKey)))

        const { remotePeer } = await result
        expect(remotePeer.toString()).to.equal(peerIdFromPrivateKey(theirKey).toString())
        expect(remotePeer.publicKey?.equals(theirKey.publicKey)).to.equal(true)
      })

      it(`sends exactly the legacy-form bytes for a ${type} key when asked`, async () => {
        const [ourKey, theirKey] = keys[type] as [PrivateKey, PrivateKey]
        const [outbound, inbound] = multiaddrConnectionPair()
        const result = createEncrypter(ourKey, { encoding: 'legacy-js' }).secureOutbound(outbound)

        const sent = await readFrame(inbound)
        inbound.send(frame(legacyExchange(theirKey.publicKey)))
        await result

        expect(sent).to.eql(legacyExchange(ourKey.publicKey))
        // what a 0.28/0.29 node does with it: PeerId.createFromPubKey(pubkey.Data)
        const decoded = Exchange.decode(sent)
        expect(publicKeyFromProtobuf(decoded.pubkey?.Data ?? new Uint8Array()).equals(ourKey.publicKey)).to.equal(true)
      })

      it(`sends exactly the spec-form bytes for a ${type} key by default`, async () => {
        const [ourKey, theirKey] = keys[type] as [PrivateKey, PrivateKey]
        const [outbound, inbound] = multiaddrConnectionPair()
        const result = createEncrypter(ourKey).secureOutbound(outbound)

        const sent = await readFrame(inbound)
        inbound.send(frame(specExchange(theirKey.publicKey)))
        await result

        expect(sent).to.eql(specExchange(ourKey.publicKey))
      })
    }

    it('explains why the option exists: a legacy node cannot parse the spec form', () => {
      const decoded = Exchange.decode(specExchange(local.publicKey))

      expect(() => publicKeyFromProtobuf(decoded.pubkey?.Data ?? new Uint8Array())).to.throw()
    })

    it('rejects a legacy-form exchange whose id does not match the key', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const result = rejection(createEncrypter(local).secureOutbound(outbound))
      const marshalled = publicKeyMessage(1, remote.publicKey.raw)

      await readFrame(inbound)
      inbound.send(frame(exchangeMessage(other.publicKey.toMultihash().bytes, publicKeyMessage(0, marshalled))))

      const err = await result
      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.message).to.include(peerIdFromPrivateKey(remote).toString())
    })

    it('rejects a legacy-looking key with trailing bytes', async () => {
      const [outbound, inbound] = multiaddrConnectionPair()
      const result = rejection(createEncrypter(local).secureOutbound(outbound))
      const marshalled = uint8ArrayConcat([publicKeyMessage(1, remote.publicKey.raw), bytesField(3, Uint8Array.from([1]))])

      await readFrame(inbound)
      inbound.send(frame(exchangeMessage(remote.publicKey.toMultihash().bytes, publicKeyMessage(0, marshalled))))

      const err = await result
      expect(err.name).to.equal('InvalidCryptoExchangeError')
    })

    describe('auto encoding', () => {
      it('answers a legacy dialer in the legacy form', async () => {
        const [outbound, inbound] = multiaddrConnectionPair()
        const result = createEncrypter(local, { encoding: 'auto' }).secureInbound(inbound)

        // a 0.28/0.29 dialer writes first
        outbound.send(frame(legacyExchange(remote.publicKey)))
        const sent = await readFrame(outbound)

        expect(sent).to.eql(legacyExchange(local.publicKey))
        expect((await result).remotePeer.toString()).to.equal(peerIdFromPrivateKey(remote).toString())
      })

      it('answers a spec dialer in the spec form', async () => {
        const [outbound, inbound] = multiaddrConnectionPair()
        const result = createEncrypter(local, { encoding: 'auto' }).secureInbound(inbound)

        outbound.send(frame(specExchange(remote.publicKey)))
        const sent = await readFrame(outbound)

        expect(sent).to.eql(specExchange(local.publicKey))
        expect((await result).remotePeer.toString()).to.equal(peerIdFromPrivateKey(remote).toString())
      })

      it('dials in the spec form', async () => {
        const [outbound, inbound] = multiaddrConnectionPair()
        const result = createEncrypter(local, { encoding: 'auto' }).secureOutbound(outbound)

        const sent = await readFrame(inbound)
        inbound.send(frame(legacyExchange(remote.publicKey)))

        expect(sent).to.eql(specExchange(local.publicKey))
        expect((await result).remotePeer.toString()).to.equal(peerIdFromPrivateKey(remote).toString())
      })
    })
  })
})
