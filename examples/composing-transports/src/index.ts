// Two transports in one node: TCP, whose connections Uplink secures with SECIO, and a transport
// that secures its own (a stand-in for QUIC or WebRTC), whose connections skip the crypto stage.
// Each address is dialed by the transport that can; the dialed /p2p/ id is checked either way.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { mplex } from '@libp2p/mplex'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createNode } from '@uplink/core'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { selfSecured } from './self-secured-transport.js'

const modules = { transport: [tcp(), selfSecured()], connection: { crypto: [secio()], muxer: [mplex()] } }
const listener = await createNode({ modules, addresses: { listen: ['/ip4/127.0.0.1/tcp/0', '/memory/listener'] } })
const dialer = await createNode({ modules })

// a request/response protocol: read the request to its end, answer, close
listener.handle('/hello/1.0.0', async (stream) => {
  let name = ''
  for await (const chunk of stream) name += new TextDecoder().decode(chunk.subarray())
  stream.send(new TextEncoder().encode(`hello, ${name}`))
  await stream.close()
})

for (const addr of listener.getMultiaddrs()) {
  const stream = await dialer.dialProtocol(addr, '/hello/1.0.0')
  stream.send(new TextEncoder().encode('dialer'))
  await stream.close() // half-close: the request is complete, the reply can still arrive
  let reply = ''
  for await (const chunk of stream) reply += new TextDecoder().decode(chunk.subarray())
  const [connection] = dialer.getConnections(listener.peerId)
  console.log(`${addr.getComponents()[0]?.name === 'memory' ? 'memory' : 'tcp'}: "${reply}" with crypto ${connection?.encryption}, muxer ${connection?.multiplexer}`)
  await dialer.hangUp(listener.peerId)
}

// the self-secured transport says it reached the listener; the dialed id says otherwise
const impostor = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

try {
  await dialer.dial(`/memory/listener/p2p/${impostor.toString()}`)
  console.log('the wrong peer was accepted: this must not happen')
  process.exitCode = 1
} catch (err: any) {
  console.log(`dialing /memory/listener as ${impostor.toString()} fails: ${err.name} at ${err.stage}`)
}

await Promise.all([dialer.stop(), listener.stop()])
