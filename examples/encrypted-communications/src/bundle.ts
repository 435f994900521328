import { mplex } from '@libp2p/mplex'
import { Node } from '@uplink/core'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import type { NodeOptions } from '@uplink/core'

/**
 * The tutorial's bundle: TCP for transport, mplex to multiplex streams and
 * SECIO to encrypt every byte and authenticate the peer behind a PeerId.
 */
export class MyBundle extends Node {
  constructor (options: Partial<NodeOptions> = {}) {
    super({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      ...options,
      modules: {
        transport: [tcp()],
        connection: {
          muxer: [mplex()],
          crypto: [secio()]
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
