// Step 3: streams in both directions over the connection node 1 opened.
import { createNode } from './bundle.js'
import { readText, sendText } from './text.js'

const [node1, node2] = await Promise.all([createNode(), createNode()])
const received = { on1: Promise.withResolvers<void>(), on2: Promise.withResolvers<void>() }

node1.handle('/node-1', async (stream) => {
  console.log(await readText(stream))
  received.on1.resolve()
})

node2.handle('/node-2', async (stream) => {
  console.log(await readText(stream))
  received.on2.resolve()
})

const toNode2 = await node1.dialProtocol(node2.getMultiaddrs(), '/node-2')
await sendText(toNode2, 'from 1 to 2')
await received.on2.promise

// node 2 has no address of node 1, only the connection node 1 opened
const [connection] = node2.getConnections(node1.peerId)
if (connection == null) throw new Error('node 2 has no connection from node 1')
const toNode1 = await connection.newStream('/node-1')
await sendText(toNode1, 'from 2 to 1')
await received.on1.promise

await Promise.all([node1.stop(), node2.stop()])
