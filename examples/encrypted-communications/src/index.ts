// "Encrypted Communications": node 1 dials node 2 by its /p2p/ address; the dial only succeeds
// if node 2 proves it owns the key behind that PeerId, and every byte after that is encrypted.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createNode } from './bundle.js'
import { isSecioEncryptionDetails } from '@uplink/secio'

const [node1, node2] = await Promise.all([createNode(), createNode()])
const received = Promise.withResolvers<void>()

node2.handle('/a-protocol', async (stream) => {
  const decoder = new TextDecoder()

  for await (const chunk of stream) {
    console.log(`node 2 received: ${decoder.decode(chunk.subarray())}`)
  }

  received.resolve()
})

const [address] = node2.getMultiaddrs()
if (address == null) throw new Error('node 2 is not listening')
console.log(`node 1 dials ${address.toString()}`)

const stream = await node1.dialProtocol(address, '/a-protocol')
stream.send(new TextEncoder().encode('This information is sent out encrypted to the other peer'))
await stream.close()
await received.promise

const [connection] = node1.getConnections(node2.peerId)
const suite = isSecioEncryptionDetails(connection?.encryptionDetails) ? connection.encryptionDetails : undefined
console.log(`crypto ${connection?.encryption}, curve ${suite?.exchange}, cipher ${suite?.cipher}, hash ${suite?.hash}, muxer ${connection?.multiplexer}`)

// the same address, claiming another PeerId: node 2 cannot prove it owns that key
const impostor = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const wrong = address.decapsulateCode(421).encapsulate(`/p2p/${impostor.toString()}`)

try {
  await node1.dial(wrong)
  console.log('dialing a wrong PeerId succeeded: this must not happen')
  process.exitCode = 1
} catch (err: any) {
  console.log(`dialing ${impostor.toString()} at node 2's address is refused: ${err.name}: ${err.message}`)
}

await Promise.all([node1.stop(), node2.stop()])
