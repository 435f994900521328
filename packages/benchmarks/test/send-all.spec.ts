// The writer every one-way row uses reports how long it waited for drains, the figure that tells a
// sender held by backpressure from one that queued everything (docs/PERFORMANCE.md).
import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'chai'
import { sendAll } from '../src/peer/pipe.js'
import type { Pipe } from '../src/peer/pipe.js'

/** A pipe that asks for a drain after every `fullEvery`-th send, and drains `drainMs` later. */
function pipeOf (fullEvery: number, drainMs: number): Pipe & { sent: number } {
  const pipe = {
    sent: 0,
    send: () => ++pipe.sent % fullEvery !== 0,
    onDrain: async () => { await sleep(drainMs) },
    close: async () => {},
    async * [Symbol.asyncIterator] () {}
  }
  return pipe
}

const pieces = (count: number): Uint8Array[] => Array.from({ length: count }, () => new Uint8Array(8))

describe('sendAll', () => {
  it('counts the time spent waiting for drains', async () => {
    const pipe = pipeOf(2, 30)
    const waitedMs = await sendAll(pipe, pieces(6))
    expect(pipe.sent).to.equal(6)
    // three waits of 30 ms (a timer may fire a millisecond early, or late on a busy machine)
    expect(waitedMs).to.be.at.least(3 * 29)
  })

  it('reports no wait for a pipe that never asks for a drain', async () => {
    const pipe = pipeOf(Number.POSITIVE_INFINITY, 30)
    expect(await sendAll(pipe, pieces(6))).to.equal(0)
    expect(pipe.sent).to.equal(6)
  })
})
