// The upgrader on its own, on sockets of our own: no node, no transport object. A node:net server
// and client; each socket is wrapped as a MultiaddrConnection and upgraded (SECIO, then yamux).
import net from 'node:net'
import { once } from 'node:events'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createUpgrader } from '@uplink/core'
import { isSecioEncryptionDetails, secio } from '@uplink/secio'
import { socketToMultiaddrConnection } from '@uplink/tcp'

const server = createUpgrader({ privateKey: await generateKeyPair('Ed25519'), connectionEncrypters: [secio()], streamMuxers: [yamux()] })
const client = createUpgrader({ privateKey: await generateKeyPair('Ed25519'), connectionEncrypters: [secio()], streamMuxers: [yamux()] })

// the server side: every accepted socket is upgraded; streams go to the handlers registered here
server.handle('/reverse/1.0.0', async (stream) => {
  let text = ''
  for await (const chunk of stream) text += new TextDecoder().decode(chunk.subarray())
  stream.send(new TextEncoder().encode([...text].reverse().join('')))
  await stream.close()
})
server.addEventListener('connection:open', (evt) => {
  console.log(`server: connection from ${evt.detail.remotePeer.toString()} over ${evt.detail.encryption}`)
})

const listener = net.createServer({ allowHalfOpen: true }, (socket) => {
  const maConn = socketToMultiaddrConnection(socket, { direction: 'inbound' })
  const signal = server.createInboundAbortSignal(AbortSignal.timeout(10_000))
  server.upgradeInbound(maConn, { signal })
    .catch((err: Error) => { console.log(`server: upgrade failed: ${err.name}: ${err.message}`) })
    .finally(() => { signal.clear() })
})
listener.listen(0, '127.0.0.1')
await once(listener, 'listening')
const { port } = listener.address() as net.AddressInfo

// the client side: our own socket, upgraded against the server's PeerId
const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
await once(socket, 'connect')
const maConn = socketToMultiaddrConnection(socket, {
  direction: 'outbound',
  remoteAddr: multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${server.peerId.toString()}`) // the id to verify
})
const connection = await client.upgradeOutbound(maConn, { signal: AbortSignal.timeout(10_000) })
const suite = isSecioEncryptionDetails(connection.encryptionDetails) ? connection.encryptionDetails : undefined
console.log(`client: upgraded to ${connection.remotePeer.toString()}: ${connection.encryption} ${suite?.exchange} ${suite?.cipher} ${suite?.hash}, ${connection.multiplexer}`)

// a v3 stream from the client side: send, half-close with close(), then read the reply to its end
const stream = await connection.newStream('/reverse/1.0.0')
stream.send(new TextEncoder().encode('upgraded by hand'))
await stream.close()
let reply = ''
for await (const chunk of stream) reply += new TextDecoder().decode(chunk.subarray())
console.log(`client: reply "${reply}"`)

await connection.close()
listener.close()
