// liveCase must be able to fail: an end that never closes, a refusal by the wrong name, an unnamed
// one, a refusal where none is allowed, and a hang each fail the case; a good case returns its outcome.
import { expect } from 'chai'
import { HangError, within } from '../src/hang-guard.js'
import { expectRefusal, leave, liveCase, sendPieces } from '../src/live-case.js'
import type { HostileEnd } from '../src/live-case.js'

/** A connection end that closes when told to (or never). */
class FakeEnd extends EventTarget {
  status = 'open'

  end (status = 'closed'): void {
    this.status = status
    this.dispatchEvent(new Event('close'))
  }
}

class Named extends Error {
  constructor (name: string, readonly stage?: string) {
    super(name)
    this.name = name
  }
}

async function failure (promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected the case to fail')
}

describe('liveCase', () => {
  it('returns the outcome of an accepted run once our end has closed', async () => {
    const ours = new FakeEnd()
    setTimeout(() => { ours.end() }, 5)
    expect(await liveCase({ ours, running: Promise.resolve(7), accepted: n => `got ${n}` })).to.equal('got 7')
  })

  it('fails a case whose end never closes, by a HangError', async () => {
    const err = await failure(liveCase({ ours: new FakeEnd(), running: Promise.resolve(1), accepted: () => 'ok', closeWithin: 20 }))
    expect(err).to.be.instanceOf(HangError)
  })

  it('fails a refusal by a name or at a stage the target does not expect, or with no name at all', async () => {
    const ended = (): FakeEnd => { const end = new FakeEnd(); end.end(); return end }
    const refused = (reason: unknown): string => expectRefusal(reason, { names: ['MacMismatchError'], stages: ['handshake'] })

    expect(await liveCase({ ours: ended(), running: Promise.reject(new Named('MacMismatchError', 'handshake')), accepted: () => 'ok', refused })).to.equal('MacMismatchError(handshake)')
    expect(await failure(liveCase({ ours: ended(), running: Promise.reject(new Named('InvalidFrameLengthError', 'handshake')), accepted: () => 'ok', refused }))).to.have.property('name', 'UnexpectedOutcomeError')
    expect(await failure(liveCase({ ours: ended(), running: Promise.reject(new Named('MacMismatchError', 'negotiate-muxer')), accepted: () => 'ok', refused }))).to.have.property('name', 'UnexpectedOutcomeError')
    expect(await failure(liveCase({ ours: ended(), running: Promise.reject(new Error('plain')), accepted: () => 'ok', refused }))).to.have.property('name', 'UnnamedErrorError')
  })

  it('fails a refusal where the target allows none, and a run that hangs', async () => {
    const ours = new FakeEnd()
    ours.end()
    expect(await failure(liveCase({ ours, running: Promise.reject(new Named('MacMismatchError')), accepted: () => 'ok' }))).to.have.property('name', 'MacMismatchError')
    expect(await failure(liveCase({ ours, running: new Promise(() => {}), accepted: () => 'ok', refused: () => 'refused', settleWithin: 20 }))).to.be.instanceOf(HangError)
  })

  it('the hostile end sends its pieces while open, then leaves (an abort if the close fails)', async () => {
    const sent: number[] = []
    let aborted: Error | undefined
    const end: HostileEnd & { status: string } = {
      status: 'open',
      send (data) { sent.push(data.byteLength); if (sent.length === 2) this.status = 'closing'; return true },
      close: async () => { throw new Error('cannot close') },
      abort: (err) => { aborted = err }
    }
    sendPieces(end, new Uint8Array(10), [3])
    expect(sent).to.deep.equal([3, 3])
    await within(1_000, leave(end))
    expect(aborted?.message).to.equal('the hostile peer leaves')
  })
})
