// The harness must be able to fail: an escaped rejection, an unnamed error, a hang, a broken
// property each fail the target; the doc writer touches only its own region.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import fc from 'fast-check'
import { fuzzConfig } from '../src/config.js'
import { applyMutation, firstDifference, protobufLengthOffsets } from '../src/mutation.js'
import { describeOutcome, namedError } from '../src/outcome.js'
import { BEGIN_MARKER, END_MARKER, writeRegion } from '../src/reliability-doc.js'
import { runFuzzTarget } from '../src/run-target.js'
import { split } from '../src/read-splits.js'

async function failure (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    return err
  }
  throw new Error('expected the target to fail')
}

const target = { kind: 'pure' as const, inputs: 'integers', arbitrary: fc.integer(), runs: { test: 20, full: 20 } }

describe('fuzz harness', () => {
  it('fails a target whose case leaves a rejection unhandled', async () => {
    const err = await failure(runFuzzTarget({
      ...target,
      name: 'harness/escape',
      kind: 'live',
      check: async () => {
        void Promise.reject(new Error('nobody handles me'))
        await new Promise(resolve => setTimeout(resolve, 1))
        return 'ok'
      }
    }))
    expect(String(err.message) + String((err as any).cause?.message)).to.include('unhandled rejection')
  })

  it('fails a target whose case hangs', async () => {
    const err = await failure(runFuzzTarget({ ...target, name: 'harness/hang', kind: 'live', hangAfter: 20, check: async () => new Promise<string>(() => {}) }))
    expect(String(err.message) + String((err as any).cause?.name)).to.include('HangError')
  })

  it('fails a target whose case ends in an unnamed error, and passes named ones', async () => {
    expect(() => namedError(new TypeError('x'))).to.throw().with.property('name', 'UnnamedErrorError')
    expect(() => namedError(new Error('x'))).to.throw().with.property('name', 'UnnamedErrorError')
    const named = Object.assign(new Error('x', { cause: new RangeError('inner') }), { name: 'MacMismatchError', stage: 'handshake' })
    expect(describeOutcome(named)).to.equal('MacMismatchError(handshake)')
    const err = await failure(runFuzzTarget({ ...target, name: 'harness/unnamed', check: () => describeOutcome(new TypeError('undefined is not a function')) }))
    expect(String((err as any).cause?.name ?? err.message)).to.match(/UnnamedErrorError/)
  })

  it('counts outcomes and cases', async () => {
    const figures = await runFuzzTarget({ ...target, name: 'harness/count', check: (n) => n % 2 === 0 ? 'even' : 'odd' })
    expect(figures.cases).to.equal(fuzzConfig().runs ?? 20)
    expect((figures.outcomes.even ?? 0) + (figures.outcomes.odd ?? 0)).to.equal(figures.cases)
  })

  it('reads the seed, runs and profile from the environment', () => {
    expect(fuzzConfig({ FUZZ_SEED: '42', FUZZ_RUNS: '7', FUZZ_PROFILE: 'full' })).to.deep.include({ seed: 42, runs: 7, profile: 'full' })
    expect(() => fuzzConfig({ FUZZ_SEED: 'x' })).to.throw(RangeError)
    expect(() => fuzzConfig({ FUZZ_PROFILE: 'huge' })).to.throw(RangeError)
  })

  it('mutates as described', () => {
    const bytes = Uint8Array.from([0, 0, 0, 3, 1, 2, 3])
    expect([...applyMutation(bytes, { kind: 'flip', at: 4, bit: 1 })]).to.deep.equal([0, 0, 0, 3, 3, 2, 3])
    expect([...applyMutation(bytes, { kind: 'truncate', at: 5 })]).to.deep.equal([0, 0, 0, 3, 1])
    expect([...applyMutation(bytes, { kind: 'insert', at: 4, bytes: Uint8Array.from([9]) })]).to.deep.equal([0, 0, 0, 3, 9, 1, 2, 3])
    expect([...applyMutation(bytes, { kind: 'duplicate', from: 0, length: 7, at: 7 })]).to.have.lengthOf(14)
    expect([...applyMutation(bytes, { kind: 'length', at: 0, value: 0xffffffff })]).to.deep.equal([255, 255, 255, 255, 1, 2, 3])
    expect(firstDifference(bytes, bytes.slice(0, 5))).to.equal(5)
    expect(firstDifference(bytes, Uint8Array.from(bytes))).to.equal(-1)
    // field 1 (len 2), field 2 holding a message whose field 1 has len 1
    expect(protobufLengthOffsets(Uint8Array.from([0x0a, 2, 7, 7, 0x12, 3, 0x0a, 1, 5]), [2])).to.deep.equal([1, 5, 7])
    expect(split(bytes, [3, 1]).map(p => p.byteLength)).to.deep.equal([3, 1, 3])
  })

  it('writes only its own region of the doc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uplink-fuzz-doc-'))
    const path = join(dir, 'RELIABILITY.md')

    try {
      writeFileSync(path, `# R\n\n<!-- BEGIN faults -->\nkeep me\n<!-- END faults -->\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\ntail\n`)
      writeRegion(path, 'new figures')
      expect(readFileSync(path, 'utf8')).to.equal(`# R\n\n<!-- BEGIN faults -->\nkeep me\n<!-- END faults -->\n\n${BEGIN_MARKER}\nnew figures\n${END_MARKER}\n\ntail\n`)
      rmSync(path)
      writeRegion(path, 'first')
      expect(readFileSync(path, 'utf8')).to.include(`${BEGIN_MARKER}\nfirst\n${END_MARKER}`).and.to.match(/^# Reliability/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
