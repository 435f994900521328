// The parent's side of a child peer: a child that prints its last line and exits at once must still be
// read to the end. A parent busy with other work (the load's parent runs the listener of all the
// connections) can see the child's exit before its last output: Node emits 'exit' while the child's
// stdio may still hold data.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { startChild } from '../src/child.js'

const DONE_THEN_EXIT = fileURLToPath(new URL('./fixtures/done-then-exit.js', import.meta.url))

/** Blocks this process (its event loop too) until `pid` has exited and is waiting to be reaped. */
function blockUntilExited (pid: number): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4))
  for (let waited = 0; waited < 30_000; waited += 10) {
    let state: string | undefined
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
    } catch {
      return
    }
    if (state === 'Z') return
    Atomics.wait(sleeper, 0, 0, 10)
  }
}

describe('child peers: the last line before exit', function () {
  this.timeout(60_000)

  it('a "done" line printed right before the child exits is read, even when the exit is noticed first', async function () {
    if (process.platform !== 'linux') this.skip()
    const outcomes: string[] = []
    const children: Array<ReturnType<typeof startChild>> = []
    // back to back, as the load's children finish: before the fix, about 3 in 4 reported "exited before done"
    for (let run = 0; run < 20; run++) {
      const child = startChild([], DONE_THEN_EXIT)
      children.push(child)
      const done = child.next('done')
      // the line and the exit now both wait for our next turn of the event loop
      blockUntilExited(child.pid)
      outcomes.push(await done.then(line => line.pid === child.pid ? 'done' : 'wrong line', (err: Error) => err.message))
    }
    expect(outcomes).to.deep.equal(Array(20).fill('done'))
    expect(await Promise.all(children.map(async child => child.exited))).to.deep.equal(Array(20).fill(null))
  })
})
