import fc from 'fast-check'

/**
 * The edits a fuzz case makes to real recorded bytes: the kinds of damage a
 * broken or hostile peer (or a middlebox) does to a message. Each is a plain
 * value, so fast-check prints it and shrinks it.
 */
export type Mutation =
  | { kind: 'flip', at: number, bit: number }
  | { kind: 'truncate', at: number }
  | { kind: 'insert', at: number, bytes: Uint8Array }
  /** Copies `length` bytes from `from` to `at` (at ≥ from + length: only earlier bytes are repeated later). */
  | { kind: 'duplicate', from: number, length: number, at: number }
  /** Overwrites the 4-byte big-endian length prefix found at `at` (a SECIO frame's). */
  | { kind: 'length', at: number, value: number }
  /** Overwrites the byte at `at` with `value` (aimed at protobuf and varint lengths). */
  | { kind: 'set-byte', at: number, value: number }
  | { kind: 'random', bytes: Uint8Array }

export type MutationKind = Mutation['kind']

export interface MutationTargets {
  /** Offsets of 4-byte length prefixes in the bytes (for `length` edits). */
  lengthPrefixes?: number[]
  /** Offsets of single length bytes: protobuf field lengths, varints (for `set-byte` edits). */
  lengthBytes?: number[]
  /** Lengths that matter to the parser (limits), tried next to the usual suspects. */
  interestingLengths?: number[]
  /** Where whole frames start and end: a frame, or a run of frames, is then also repeated whole at a later frame boundary (a replay). */
  frames?: Array<{ start: number, end: number }>
}

const LENGTHS = [0, 1, 2, 3, 4, 15, 16, 31, 32, 33, 48, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff]

/** A mutation of bytes of this length. Nearly always a change; a `length` or `set-byte` edit may write the value already there. */
export function mutationOf (length: number, targets: MutationTargets = {}): fc.Arbitrary<Mutation> {
  const last = Math.max(length - 1, 0)
  const at = fc.integer({ min: 0, max: last })
  const choices: Array<fc.Arbitrary<Mutation>> = [
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.integer({ min: 0, max: length }), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
    fc.integer({ min: 0, max: last }).chain(from => fc.integer({ min: 1, max: Math.max(1, length - from) }).chain(size => fc.record({
      kind: fc.constant('duplicate' as const),
      from: fc.constant(from),
      length: fc.constant(size),
      at: fc.integer({ min: Math.min(from + size, length), max: length })
    }))),
    fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ minLength: 0, maxLength: Math.max(64, length * 2) }) })
  ]

  if (targets.lengthPrefixes != null && targets.lengthPrefixes.length > 0) {
    const values = fc.oneof(fc.constantFrom(...LENGTHS, ...(targets.interestingLengths ?? [])), fc.integer({ min: 0, max: 0xffffffff }))
    choices.push(fc.record({ kind: fc.constant('length' as const), at: fc.constantFrom(...targets.lengthPrefixes), value: values }))
  }

  const frames = targets.frames ?? []
  if (frames.length > 0) {
    choices.push(fc.integer({ min: 0, max: frames.length - 1 }).chain(index => fc.integer({ min: index, max: frames.length - 1 }).chain(last => {
      const start = (frames[index] as { start: number }).start
      const end = (frames[last] as { end: number }).end
      const later = frames.slice(last).map(f => f.end)
      return fc.record({ kind: fc.constant('duplicate' as const), from: fc.constant(start), length: fc.constant(end - start), at: fc.constantFrom(...later) })
    })))
  }

  if (targets.lengthBytes != null && targets.lengthBytes.length > 0) {
    choices.push(fc.record({ kind: fc.constant('set-byte' as const), at: fc.constantFrom(...targets.lengthBytes), value: fc.integer({ min: 0, max: 0xff }) }))
  }

  return fc.oneof(...choices)
}

/** The mutated copy; `bytes` is left alone. */
export function applyMutation (bytes: Uint8Array, mutation: Mutation): Uint8Array {
  switch (mutation.kind) {
    case 'flip': {
      const out = Uint8Array.from(bytes)
      if (out.byteLength > 0) out[mutation.at] = (out[mutation.at] ?? 0) ^ (1 << mutation.bit)
      return out
    }
    case 'truncate':
      return bytes.slice(0, mutation.at)
    case 'insert':
      return concat(bytes.subarray(0, mutation.at), mutation.bytes, bytes.subarray(mutation.at))
    case 'duplicate':
      return concat(bytes.subarray(0, mutation.at), bytes.subarray(mutation.from, mutation.from + mutation.length), bytes.subarray(mutation.at))
    case 'length': {
      const out = Uint8Array.from(bytes)
      if (mutation.at + 4 <= out.byteLength) new DataView(out.buffer).setUint32(mutation.at, mutation.value)
      return out
    }
    case 'set-byte': {
      const out = Uint8Array.from(bytes)
      if (mutation.at < out.byteLength) out[mutation.at] = mutation.value
      return out
    }
    case 'random':
      return Uint8Array.from(mutation.bytes)
  }
}

/** The first offset where two byte strings differ (the shorter one's length if one is a prefix of the other). */
export function firstDifference (a: Uint8Array, b: Uint8Array): number {
  const shorter = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i
  return a.byteLength === b.byteLength ? -1 : shorter
}

/**
 * Offsets of the length bytes of a protobuf message's top-level
 * length-delimited fields (one-byte tags), and of nested messages one level
 * down when `nested` says which fields hold messages.
 */
export function protobufLengthOffsets (bytes: Uint8Array, nested: number[] = [], base = 0): number[] {
  const offsets: number[] = []
  let pos = 0

  while (pos < bytes.byteLength) {
    const tag = bytes[pos] ?? 0
    const field = tag >> 3
    const wire = tag & 7
    pos++

    if (wire === 0) {
      while (pos < bytes.byteLength && ((bytes[pos] ?? 0) & 0x80) !== 0) pos++
      pos++
      continue
    }

    if (wire !== 2) break
    offsets.push(base + pos)
    let length = 0
    let shift = 0
    while (pos < bytes.byteLength) {
      const byte = bytes[pos++] ?? 0
      length += (byte & 0x7f) * 2 ** shift
      shift += 7
      if ((byte & 0x80) === 0) break
    }

    if (nested.includes(field)) offsets.push(...protobufLengthOffsets(bytes.subarray(pos, pos + length), [], base + pos))
    pos += length
  }

  return offsets
}

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
