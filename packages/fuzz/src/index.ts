/**
 * The fuzz harness Uplink's `fuzz-*.spec.ts` files share: fast-check with a
 * printed, repeatable seed, a process guard, hang and memory guards, mutations
 * of recorded bytes, arbitrary read splits, and the figures `pnpm fuzz`
 * writes into docs/RELIABILITY.md.
 *
 * @module @uplink/fuzz
 */
export { fuzzConfig, suiteTimeout } from './config.js'
export type { FuzzConfig, FuzzProfile } from './config.js'
export { runFuzzTarget } from './run-target.js'
export { HangError, within } from './hang-guard.js'
export type { FuzzTarget } from './run-target.js'
export { EscapedError, guardProcess } from './process-guard.js'
export type { ProcessGuard } from './process-guard.js'
export { describeOutcome, namedError, UnnamedErrorError } from './outcome.js'
export { applyMutation, firstDifference, mutationOf, protobufLengthOffsets } from './mutation.js'
export type { Mutation, MutationKind, MutationTargets } from './mutation.js'
export { readSplits, split } from './read-splits.js'
export { arrayBufferBytes, collectGarbage, MemoryPeak } from './memory.js'
export { appendFigures, readFigures } from './figures.js'
export type { TargetFigures } from './figures.js'
export { bulkBytes, pseudoRandomBytes } from './bulk-bytes.js'
export { closed, expectRefusal, leave, linger, liveCase, sendPieces, UnexpectedOutcomeError } from './live-case.js'
export type { HostileEnd, LiveCase, LiveEnd } from './live-case.js'
