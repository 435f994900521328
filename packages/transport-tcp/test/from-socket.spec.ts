import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { socketToMultiaddrConnection } from '../src/index.js'
import { socketPair } from './fixtures/net.js'
import type { SocketPair } from './fixtures/net.js'
import type { StreamMessageEvent } from '@libp2p/interface'

describe('socketToMultiaddrConnection (the public socket wrapper)', function () {
  this.timeout(20_000)
  let pair: SocketPair

  beforeEach(async () => {
    pair = await socketPair()
  })

  afterEach(async () => {
    await pair.close()
  })

  it('wraps sockets of your own with the defaults: bytes flow both ways, the dialed address is kept', async () => {
    const dialed = multiaddr(`/ip4/127.0.0.1/tcp/${pair.server.localPort ?? 0}/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA`)
    const outbound = socketToMultiaddrConnection(pair.client, { direction: 'outbound', remoteAddr: dialed })
    const inbound = socketToMultiaddrConnection(pair.server, { direction: 'inbound' })

    expect(outbound.remoteAddr.toString()).to.equal(dialed.toString())
    expect(inbound.remoteAddr.toString()).to.equal(`/ip4/127.0.0.1/tcp/${pair.client.localPort ?? 0}`)
    expect(outbound.direction).to.equal('outbound')

    const arrived = pEvent<'message', StreamMessageEvent>(inbound, 'message')
    outbound.send(new TextEncoder().encode('ping'))
    expect(new TextDecoder().decode((await arrived).data.subarray())).to.equal('ping')

    await Promise.all([outbound.close(), inbound.close()])
    expect(outbound.status).to.equal('closed')
  })
})
