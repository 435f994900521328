import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { encrypter, handshake, peer, transfer } from './fixtures/peers.js'

describe('secio handshake between two Uplink peers', () => {
  it('authenticates both sides and carries data both ways', async () => {
    const [alice, bob] = await Promise.all([peer(), peer()])
    const { dialer, listener } = await handshake(encrypter(alice), encrypter(bob), bob.peerId)

    expect(dialer.remotePeer.equals(bob.peerId)).to.equal(true)
    expect(listener.remotePeer.equals(alice.peerId)).to.equal(true)
    expect(dialer.remoteExtensions).to.deep.equal({ exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' })

    const data = randomBytes(1024 * 1024)
    expect(await transfer(dialer.connection, listener.connection, data)).to.deep.equal(data)
    const back = randomBytes(3000)
    expect(await transfer(listener.connection, dialer.connection, back)).to.deep.equal(back)
  })
})
