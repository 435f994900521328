import { StreamResetError } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { AbstractMessageStream } from '@libp2p/utils'
import { expect } from 'chai'
import { nextDrain } from '../src/index.js'
import type { SendResult } from '@libp2p/utils'

/** A stream whose transport is always full: every send leaves it needing a drain. */
class FullStream extends AbstractMessageStream {
  constructor () {
    super({ log: defaultLogger().forComponent('test:full-stream'), direction: 'outbound' })
  }

  sendData (data: { byteLength: number }): SendResult { return { sentBytes: data.byteLength, canSendMore: false } }
  sendReset (): void {}
  async sendCloseWrite (): Promise<void> {}
  async sendCloseRead (): Promise<void> {}
  sendPause (): void {}
  sendResume (): void {}
  async close (): Promise<void> {}
}

/** 'pending', or how the promise settled, after a few turns of the event loop. */
async function settledAs (promise: Promise<unknown>): Promise<string> {
  let state = 'pending'
  promise.then(() => { state = 'resolved' }, () => { state = 'rejected' })
  await new Promise(resolve => setTimeout(resolve, 20))
  return state
}

/** A stream past its first drain, needing the next one. */
async function pastFirstDrain (): Promise<FullStream> {
  const stream = new FullStream()
  expect(stream.send(new Uint8Array(8))).to.equal(false)
  const first = stream.onDrain()
  stream.safeDispatchEvent('drain')
  await first
  expect(stream.send(new Uint8Array(8))).to.equal(false)
  expect(stream.writableNeedsDrain).to.equal(true)
  return stream
}

describe('nextDrain', () => {
  it('the upstream flaw it exists for: @libp2p/utils 7.4.1 onDrain resolves, after the first drain, with no drain at all', async () => {
    const stream = await pastFirstDrain()

    // if this starts failing, @libp2p/utils fixed onDrain and this package may go
    expect(await settledAs(stream.onDrain())).to.equal('resolved')
  })

  it('after the first drain, waits for the next one', async () => {
    const stream = await pastFirstDrain()
    const waiting = nextDrain(stream)

    expect(await settledAs(waiting)).to.equal('pending')
    stream.safeDispatchEvent('drain')
    expect(await settledAs(waiting)).to.equal('resolved')
  })

  it('resolves at once when the stream needs no drain', async () => {
    expect(await settledAs(nextDrain(new FullStream()))).to.equal('resolved')
  })

  it('rejects with the error the stream closes with, and StreamClosedError for a stream that closed without one', async () => {
    const aborted = await pastFirstDrain()
    const waiting = nextDrain(aborted)
    aborted.abort(new StreamResetError('gone'))
    const err = await waiting.then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('name', 'StreamResetError')

    const closed = await pastFirstDrain()
    closed.abort(new Error('closed before the wait'))
    const late = await nextDrain(closed).then(() => undefined, (err: unknown) => err)
    expect(late).to.have.property('name', 'StreamClosedError')
  })

  it('rejects with the abort reason when its signal aborts, and leaves no listener behind', async () => {
    const stream = await pastFirstDrain()
    const controller = new AbortController()
    const waiting = nextDrain(stream, { signal: controller.signal })
    controller.abort(new Error('caller gave up'))

    const err = await waiting.then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('message', 'caller gave up')
    expect(stream.listenerCount('drain')).to.equal(1) // the stream's own
  })
})
