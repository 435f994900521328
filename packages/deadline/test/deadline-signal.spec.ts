import { getEventListeners } from 'node:events'
import { expect } from 'chai'
import { DeadlineExceededError, deadlineSignal, isDeadlineExceeded, withDeadline } from '../src/index.js'

function activeTimers (): number {
  return process.getActiveResourcesInfo().filter(name => name === 'Timeout').length
}

describe('deadlineSignal', () => {
  it('fires with a DeadlineExceededError, a TimeoutError by name, when the time is up', async () => {
    const signal = deadlineSignal(undefined, 10, 'the test')
    await new Promise(resolve => signal.addEventListener('abort', resolve))
    expect(signal.reason).to.be.instanceOf(DeadlineExceededError)
    expect(signal.reason.name).to.equal('TimeoutError')
    expect(signal.reason.message).to.contain('the test').and.contain('10 ms')
    expect(isDeadlineExceeded(signal)).to.equal(true)
    signal.clear()
  })

  it("fires with the caller's reason when the caller aborts first", () => {
    const caller = new AbortController()
    const signal = deadlineSignal(caller.signal, 60_000)
    const reason = new Error('caller gave up')
    caller.abort(reason)
    expect(signal.reason).to.equal(reason)
    expect(isDeadlineExceeded(signal)).to.equal(false)
    signal.clear()
  })

  it('is aborted from the start when the caller already aborted, and starts no timer', () => {
    const before = activeTimers()
    const caller = new AbortController()
    caller.abort(new Error('already'))
    const signal = deadlineSignal(caller.signal, 60_000)
    expect(signal.aborted).to.equal(true)
    expect(activeTimers()).to.equal(before)
    signal.clear()
  })

  it('leaves no timer and no listener on the caller once cleared', () => {
    const caller = new AbortController()
    const before = activeTimers()
    const signals = Array.from({ length: 100 }, () => deadlineSignal(caller.signal, 60_000))
    expect(activeTimers()).to.equal(before + 100)
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(100)

    for (const signal of signals) signal.clear()

    expect(activeTimers()).to.equal(before)
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(0)
  })

  it('never fires after clear()', async () => {
    const signal = deadlineSignal(undefined, 5)
    signal.clear()
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(signal.aborted).to.equal(false)
  })

  it('an infinite timeout only follows the caller', () => {
    const before = activeTimers()
    const caller = new AbortController()
    const signal = deadlineSignal(caller.signal, Infinity)
    expect(activeTimers()).to.equal(before)
    caller.abort()
    expect(signal.aborted).to.equal(true)
    signal.clear()
  })
})

describe('withDeadline', () => {
  it('clears its signal when the operation succeeds or fails: no listener stays, the deadline never fires', async () => {
    const caller = new AbortController()
    let succeeded: AbortSignal | undefined
    let failed: AbortSignal | undefined

    expect(await withDeadline(caller.signal, 5, async (signal) => { succeeded = signal; return 'done' })).to.equal('done')
    const failure = await withDeadline(caller.signal, 5, async (signal) => { failed = signal; throw new Error('boom') }).catch(err => err)
    expect(failure).to.have.property('message', 'boom')
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(0)

    await new Promise(resolve => setTimeout(resolve, 25))
    expect(succeeded?.aborted).to.equal(false)
    expect(failed?.aborted).to.equal(false)
  })

  it('hands the operation a signal that fires at the deadline', async () => {
    const reason = await withDeadline(undefined, 10, async (signal) => {
      await new Promise(resolve => signal.addEventListener('abort', resolve))
      return signal.reason
    })
    expect(reason).to.be.instanceOf(DeadlineExceededError)
  })
})
