// Uplink's modules inside a stock js-libp2p v3 node: @uplink/tcp as the transport, @uplink/secio and
// @uplink/plaintext as crypto channels, beside js-libp2p's own yamux. The nodes are js-libp2p's; only the modules are Uplink's.
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { createLibp2p } from 'libp2p'

// a fresh object per node: createLibp2p keeps what it is given (its identity among it)
const options = (): Parameters<typeof createLibp2p>[0] => ({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [secio(), plaintext()],
  streamMuxers: [yamux()]
})
const [alice, bob] = await Promise.all([createLibp2p(options()), createLibp2p(options())])

await bob.handle('/greet/1.0.0', async (stream) => {
  let name = ''
  for await (const chunk of stream) name += new TextDecoder().decode(chunk.subarray())
  stream.send(new TextEncoder().encode(`hello ${name}`))
  await stream.close()
})

const stream = await alice.dialProtocol(bob.getMultiaddrs(), '/greet/1.0.0')
stream.send(new TextEncoder().encode('alice'))
await stream.close()
let reply = ''
for await (const chunk of stream) reply += new TextDecoder().decode(chunk.subarray())

// js-libp2p's Connection says which channel was chosen; the SECIO suite itself is not part of its interface
const [connection] = alice.getConnections(bob.peerId)
console.log(`${reply} (js-libp2p ${connection?.encryption} + ${connection?.multiplexer} over @uplink/tcp)`)

await Promise.all([alice.stop(), bob.stop()])
