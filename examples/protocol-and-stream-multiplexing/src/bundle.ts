import { yamux } from '@chainsafe/libp2p-yamux'
import { Node } from '@uplink/core'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import type { NodeOptions } from '@uplink/core'

/**
 * The tutorial's bundle: a node class that fixes its modules. Plaintext stands
 * in for a real crypto channel here; the encrypted-communications tutorial
 * swaps in SECIO.
 */
export class MyBundle extends Node {
  constructor (options: Partial<NodeOptions> = {}) {
    super({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      ...options,
      modules: {
        transport: [tcp()],
        connection: {
          muxer: [yamux()],
          crypto: [plaintext()]
        }
      }
    })
  }
}

export async function createNode (): Promise<MyBundle> {
  const node = new MyBundle()
  await node.start()
  return node
}
