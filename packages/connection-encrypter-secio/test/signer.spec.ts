import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { identitySigner } from '../src/handshake/signer.js'
import { encrypter, handshake, peer } from './fixtures/peers.js'
import type { KeyKind } from './fixtures/peers.js'
import type { PrivateKey } from '@libp2p/interface'

/** The same key, except that `@libp2p/crypto`'s own sign() refuses to run. */
function withoutLibrarySign (privateKey: PrivateKey): PrivateKey {
  return Object.create(privateKey, { sign: { value: () => { throw new Error('the library signer was used') } } })
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('the Exchange signer (the identity key imported once)', function () {
  this.timeout(60_000)

  for (const kind of ['Ed25519', 'RSA', 'secp256k1'] as KeyKind[]) {
    it(`${kind}: signs exactly the bytes @libp2p/crypto signs, which the public key verifies`, async () => {
      const { privateKey } = await peer(kind)
      const signer = identitySigner(privateKey)

      for (const length of [0, 1, 300, 4096]) {
        const data = randomBytes(length)
        const signature = await signer.sign(data)

        // all three schemes are deterministic (secp256k1 with RFC 6979 nonces): the very same bytes
        expect(toHex(signature)).to.equal(toHex(await privateKey.sign(data)))
        expect(await privateKey.publicKey.verify(data, signature)).to.equal(true)
      }
    })
  }

  for (const kind of ['Ed25519', 'RSA'] as KeyKind[]) {
    it(`${kind}: never goes back to the library's per-call import`, async () => {
      const { privateKey } = await peer(kind)
      const signer = identitySigner(withoutLibrarySign(privateKey))
      const data = randomBytes(200)

      expect(await privateKey.publicKey.verify(data, await signer.sign(data))).to.equal(true)
    })
  }

  it('secp256k1, and a key OpenSSL cannot import, are signed by the key itself', async () => {
    const { privateKey } = await peer('secp256k1')
    expect(() => identitySigner(withoutLibrarySign(privateKey)).sign(new Uint8Array(1))).to.throw('the library signer was used')

    const mangled = Object.create(withoutLibrarySign((await peer('Ed25519')).privateKey), { raw: { value: new Uint8Array(10) } })
    expect(() => identitySigner(mangled).sign(new Uint8Array(1))).to.throw('the library signer was used')
  })

  it('a handshake signs with it: the peer verifies an Exchange made without @libp2p/crypto\'s sign()', async () => {
    const [alice, bob] = await Promise.all([peer('Ed25519'), peer('RSA')])
    const { dialer, listener } = await handshake(
      encrypter({ ...alice, privateKey: withoutLibrarySign(alice.privateKey) }),
      encrypter({ ...bob, privateKey: withoutLibrarySign(bob.privateKey) }),
      bob.peerId
    )

    expect(dialer.remotePeer.equals(bob.peerId)).to.equal(true)
    expect(listener.remotePeer.equals(alice.peerId)).to.equal(true)
  })
})
