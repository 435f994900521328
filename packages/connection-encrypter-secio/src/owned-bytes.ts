/**
 * A copy of `bytes` in memory of its own, for what a connection keeps for its
 * whole life. `Buffer.allocUnsafe`, and the libraries that allocate through it
 * (`@libp2p/crypto`'s key stretcher, protobuf encoders), hand out views into
 * Node's shared 8 KiB pool slabs, and a slab lives as long as any view into
 * it: kept as such a view, a 20-byte MAC key can cost an idle connection most
 * of 8 KiB. The copy costs its own bytes and one small ArrayBuffer.
 */
export function ownedBytes (bytes: Uint8Array): Uint8Array {
  // a typed array made from another is a copy in a fresh ArrayBuffer of exactly its length
  return new Uint8Array(bytes)
}
