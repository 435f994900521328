import { yamux } from '@chainsafe/libp2p-yamux'
import { createNode } from '@uplink/core'
import { isSecioEncryptionDetails } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import type { EncrypterModule } from '@uplink/core'

/**
 * Two nodes that differ from the other steps only in `crypto`: node 1 dials
 * node 2 by its /p2p/ address, sends a line, reads the answer, and says which
 * channel carried it.
 */
export async function talk (crypto: EncrypterModule): Promise<void> {
  const modules = { transport: [tcp()], connection: { crypto: [crypto], muxer: [yamux()] } }
  const [node1, node2] = await Promise.all([
    createNode({ modules }),
    createNode({ modules, addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] } })
  ])

  node2.handle('/shout/1.0.0', async (stream) => {
    let text = ''
    for await (const chunk of stream) text += new TextDecoder().decode(chunk.subarray())
    stream.send(new TextEncoder().encode(text.toUpperCase()))
    await stream.close()
  })

  const stream = await node1.dialProtocol(node2.getMultiaddrs(), '/shout/1.0.0')
  stream.send(new TextEncoder().encode('the same application, another crypto channel'))
  await stream.close()
  let reply = ''
  for await (const chunk of stream) reply += new TextDecoder().decode(chunk.subarray())

  const [connection] = node1.getConnections(node2.peerId)
  const details = connection?.encryptionDetails
  const suite = isSecioEncryptionDetails(details) ? ` (${details.exchange}, ${details.cipher}, ${details.hash})` : ''
  console.log(`${connection?.encryption}${suite} + ${connection?.multiplexer}: ${reply}`)

  await Promise.all([node1.stop(), node2.stop()])
}
