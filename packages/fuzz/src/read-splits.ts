import fc from 'fast-check'

/**
 * How the bytes reach the reader: the sizes of successive reads, reused in
 * turn until everything is delivered. Small sizes cut length prefixes and
 * MACs in two; one big size delivers several frames in one read.
 */
export function readSplits (): fc.Arbitrary<number[]> {
  return fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 12 })
}

/** `bytes` cut by `sizes` (cycled); the pieces are views, concatenated they are `bytes`. */
export function split (bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = []

  for (let offset = 0, i = 0; offset < bytes.byteLength; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? bytes.byteLength)
    pieces.push(bytes.subarray(offset, offset + size))
    offset += size
  }

  return pieces
}
