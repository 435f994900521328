/**
 * The mplex the CLI builds takes a peer that opens ten streams in its first
 * second: mplex's own default (5 a second) would make its listener give up
 * on the connection.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createUpgrader } from '@uplink/core'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { muxerModules } from '../src/modules.js'
import type { Stream } from '@libp2p/interface'

const ECHO = '/echo/1.0.0'
const STREAMS = 10

async function echo (stream: Stream): Promise<void> {
  for await (const chunk of stream) stream.send(chunk)
  await stream.close()
}

describe('the mplex the CLI builds', function () {
  this.timeout(30_000)

  it(`takes ${STREAMS} streams opened at once on a fresh connection`, async () => {
    const [dialerKey, listenerKey] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
    const listenerId = peerIdFromPrivateKey(listenerKey)
    const dialer = createUpgrader({ privateKey: dialerKey, connectionEncrypters: [plaintext()], streamMuxers: muxerModules(['mplex']) })
    const listener = createUpgrader({ privateKey: listenerKey, connectionEncrypters: [plaintext()], streamMuxers: muxerModules(['mplex']) })
    listener.handle(ECHO, echo)
    const [outbound, inbound] = multiaddrConnectionPair({ outbound: { remoteAddr: multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${listenerId.toString()}`) } })
    const signal = AbortSignal.timeout(10_000)
    const [connection] = await Promise.all([dialer.upgradeOutbound(outbound, { signal }), listener.upgradeInbound(inbound, { signal })])

    try {
      const replies = await Promise.allSettled(Array.from({ length: STREAMS }, async (_, i) => {
        const stream = await connection.newStream(ECHO)
        stream.send(Uint8Array.of(i))
        await stream.close()
        const chunks: number[] = []
        for await (const chunk of stream) chunks.push(...chunk.subarray())
        return chunks
      }))

      expect(replies.map(reply => reply.status === 'fulfilled' ? reply.value : (reply.reason as Error).name)).to.deep.equal(Array.from({ length: STREAMS }, (_, i) => [i]))
      expect(connection.status).to.equal('open')
    } finally {
      await connection.close()
    }
  })
})
