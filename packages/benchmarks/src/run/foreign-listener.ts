// A listener written elsewhere (the Go reference peer, the legacy JS node), started for one run of a
// row: the body gets its 127.0.0.1 address and process id, and the peer is stopped whatever the body did.
import { localAddress } from './children.js'

/** What the interop clients (GoPeer, LegacyPeer) have in common once they are ready. */
export interface ForeignListener {
  addrs: string[]
  process: { pid: number }
  stop: () => Promise<void>
}

export async function withForeignListener<T> (label: string, start: () => Promise<ForeignListener>, body: (addr: string, pid: number) => Promise<T>): Promise<T> {
  const listener = await start()
  try {
    return await body(localAddress(listener.addrs, label), listener.process.pid)
  } finally {
    await listener.stop()
  }
}
