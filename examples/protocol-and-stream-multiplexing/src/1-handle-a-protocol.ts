// Step 1: node 2 handles a protocol of its own; node 1 opens a stream on it.
import { createNode } from './bundle.js'
import { readText, sendText } from './text.js'

const [node1, node2] = await Promise.all([createNode(), createNode()])
const received = Promise.withResolvers<void>()

node2.handle('/your-protocol', async (stream) => {
  console.log(await readText(stream))
  received.resolve()
})

const stream = await node1.dialProtocol(node2.getMultiaddrs(), '/your-protocol')
await sendText(stream, 'my own protocol, wow!')
await received.promise

await Promise.all([node1.stop(), node2.stop()])
