import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_EXCHANGE_SIZE, decodeExchange, decodeLengthPrefix, encodeExchange } from '../src/exchange.js'
import { exchangeMessage, legacyExchange, publicKeyMessage, specExchange, varint, varintField } from './utils.js'
import type { PrivateKey } from '@libp2p/interface'

function throws (fn: () => unknown): Error & { cause?: any } {
  try {
    fn()
  } catch (err: any) {
    return err
  }

  throw new Error('Expected the function to throw')
}

describe('exchange', () => {
  let ed25519: PrivateKey
  let rsa: PrivateKey

  before(async function () {
    this.timeout(30_000)
    ed25519 = await generateKeyPair('Ed25519')
    rsa = await generateKeyPair('RSA', 2048)
  })

  describe('encode/decode', () => {
    it('round-trips both forms', () => {
      for (const key of [ed25519, rsa]) {
        for (const encoding of ['spec', 'legacy-js'] as const) {
          const decoded = decodeExchange(encodeExchange(key.publicKey, encoding))

          expect(decoded.encoding).to.equal(encoding)
          expect(decoded.peerId.toString()).to.equal(peerIdFromPrivateKey(key).toString())
        }
      }
    })

    it('matches the hand-written encodings', () => {
      expect(encodeExchange(ed25519.publicKey)).to.eql(specExchange(ed25519.publicKey))
      expect(encodeExchange(ed25519.publicKey, 'legacy-js')).to.eql(legacyExchange(ed25519.publicKey))
    })

    it('decodes from a Uint8ArrayList', () => {
      const bytes = specExchange(ed25519.publicKey)
      const list = new Uint8ArrayList(bytes.subarray(0, 7), bytes.subarray(7))

      expect(decodeExchange(list).peerId.toString()).to.equal(peerIdFromPrivateKey(ed25519).toString())
    })

    it('reads a spec-form RSA key as spec, never as legacy', () => {
      expect(decodeExchange(specExchange(rsa.publicKey)).encoding).to.equal('spec')
    })

    it('does not apply the legacy rule to keys that do not claim RSA', () => {
      // Type=Ed25519 with a marshalled key in Data is neither form
      const bytes = exchangeMessage(ed25519.publicKey.toMultihash().bytes, publicKeyMessage(1, publicKeyMessage(1, ed25519.publicKey.raw)))

      expect(throws(() => decodeExchange(bytes)).name).to.equal('InvalidCryptoExchangeError')
    })

    it('rejects an unknown key type', () => {
      const bytes = exchangeMessage(ed25519.publicKey.toMultihash().bytes, publicKeyMessage(9, ed25519.publicKey.raw))
      const err = throws(() => decodeExchange(bytes))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.be.instanceOf(Error)
    })

    it('rejects a pubkey without Type or Data', () => {
      const id = ed25519.publicKey.toMultihash().bytes

      expect(throws(() => decodeExchange(exchangeMessage(id, varintField(1, 1)))).message).to.match(/no Data/)
      expect(throws(() => decodeExchange(exchangeMessage(id, publicKeyMessage(1, ed25519.publicKey.raw).subarray(2)))).message).to.match(/no Type/)
    })

    it('rejects a message over the size limit', () => {
      const err = throws(() => decodeExchange(new Uint8Array(MAX_EXCHANGE_SIZE + 1)))

      expect(err.name).to.equal('InvalidCryptoExchangeError')
      expect(err.cause).to.have.property('name', 'ExchangeTooLargeError')
    })
  })

  describe('length prefix', () => {
    it('decodes lengths up to the limit', () => {
      for (const n of [0, 1, 127, 128, 300, MAX_EXCHANGE_SIZE]) {
        expect(decodeLengthPrefix(varint(n))).to.equal(n)
        expect(decodeLengthPrefix(new Uint8ArrayList(varint(n)))).to.equal(n)
      }
    })

    it('asks for more bytes while the prefix is incomplete', () => {
      expect(throws(() => decodeLengthPrefix(Uint8Array.from([0x80]))).name).to.equal('RangeError')
    })

    it('rejects a length over the limit as soon as it is known', () => {
      expect(throws(() => decodeLengthPrefix(varint(MAX_EXCHANGE_SIZE + 1))).name).to.equal('ExchangeTooLargeError')
      // the low bits alone already exceed a limit of 100
      expect(throws(() => decodeLengthPrefix(Uint8Array.from([0xff]), 100)).name).to.equal('ExchangeTooLargeError')
    })

    it('rejects a prefix longer than the limit needs', () => {
      expect(throws(() => decodeLengthPrefix(Uint8Array.from([0x80, 0x80, 0x80]))).name).to.equal('ExchangeTooLargeError')
    })
  })
})
