// Step 2: several protocols, each on its own stream, all over one connection.
import { createNode } from './bundle.js'
import { readText, sendText } from './text.js'

const [node1, node2] = await Promise.all([createNode(), createNode()])
const protocols = ['/a', '/b', '/c']
let pending = protocols.length
const allReceived = Promise.withResolvers<void>()

node2.handle(protocols, async (stream) => {
  console.log(`from 1 to 2 on protocol ${stream.protocol}: ${await readText(stream)}`)

  if (--pending === 0) allReceived.resolve()
})

for (const protocol of protocols) {
  const stream = await node1.dialProtocol(node2.getMultiaddrs(), protocol)
  await sendText(stream, `protocol (${protocol.slice(1)})`)
}

await allReceived.promise
console.log(`connections between the nodes: ${node1.getConnections(node2.peerId).length}`)

await Promise.all([node1.stop(), node2.stop()])
