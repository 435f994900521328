import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'chai'
import { encrypter, handshake, peer, transfer } from './fixtures/peers.js'
import type { Peer } from './fixtures/peers.js'

// The upper end of the accepted RSA range: `@libp2p/crypto` v5 cannot parse an RSA-8192 PKIX key
// (it refuses 1,062 bytes and more), so remote RSA keys are read with node:crypto instead.
describe('RSA identities at the edge of the accepted range', function () {
  this.timeout(180_000)
  let rsa8192: Peer

  before(async () => {
    const privateKey = await generateKeyPair('RSA', 8192)
    rsa8192 = { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
  })

  for (const direction of ['dials', 'is dialed by'] as const) {
    it(`an RSA-8192 peer ${direction} an Ed25519 peer: both authenticate, data flows`, async () => {
      const other = await peer('Ed25519')
      const [dialer, listener] = direction === 'dials' ? [rsa8192, other] : [other, rsa8192]
      const { dialer: d, listener: l } = await handshake(encrypter(dialer), encrypter(listener), listener.peerId)

      expect(d.remotePeer.equals(listener.peerId)).to.equal(true)
      expect(l.remotePeer.equals(dialer.peerId)).to.equal(true)
      const data = randomBytes(100_000)
      expect(await transfer(d.connection, l.connection, data)).to.deep.equal(data)
    })
  }
})
