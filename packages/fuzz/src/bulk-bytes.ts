import fc from 'fast-check'

/**
 * Byte strings of any size, cheap to make: a length and a seed drawn by
 * fast-check, filled by xorshift32. `fc.uint8Array` draws every byte on its
 * own, which is slow for tens of kilobytes; these stay reproducible from the
 * run's seed all the same.
 */
export function bulkBytes (constraints: { minLength?: number, maxLength: number }): fc.Arbitrary<Uint8Array> {
  return fc.record({ length: fc.integer({ min: constraints.minLength ?? 0, max: constraints.maxLength }), seed: fc.integer({ min: 1, max: 0x7fffffff }) })
    .map(({ length, seed }) => pseudoRandomBytes(seed, length))
}

export function pseudoRandomBytes (seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let state = seed | 1

  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    out[i] = state & 0xff
  }

  return out
}
