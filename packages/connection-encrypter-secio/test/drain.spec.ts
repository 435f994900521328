// A writer of a secured connection that honours backpressure (`if (!send()) await onDrain()`) waits
// for each drain of the raw connection, the second and later ones too.
import { expect } from 'chai'
import { encrypter, handshake, peer } from './fixtures/peers.js'

/** 'pending', 'resolved' or 'rejected', a few event-loop turns after the call. */
async function stateAfterAWhile (promise: Promise<unknown>): Promise<string> {
  let state = 'pending'
  promise.then(() => { state = 'resolved' }, () => { state = 'rejected' })
  await new Promise(resolve => setTimeout(resolve, 20))
  return state
}

describe('SecioStream backpressure', () => {
  it('onDrain waits for the raw connection\'s next drain every time, not only before the first', async () => {
    const { dialer, raw } = await handshake(encrypter(await peer()), encrypter(await peer()))
    const secured = dialer.connection
    const [rawDialer] = raw
    // the raw connection takes every frame but always asks the writer to wait
    const send = rawDialer.send.bind(rawDialer)
    rawDialer.send = (data) => { send(data); return false }

    for (let drain = 1; drain <= 3; drain++) {
      expect(secured.send(Uint8Array.of(drain))).to.equal(false)
      const waiting = secured.onDrain()
      expect(await stateAfterAWhile(waiting), `before drain ${drain}`).to.equal('pending')
      rawDialer.dispatchEvent(new Event('drain'))
      expect(await stateAfterAWhile(waiting), `after drain ${drain}`).to.equal('resolved')
    }

    // a close would wait for a drain of this raw connection that never comes
    secured.abort(new Error('test over'))
    raw[1].abort(new Error('test over'))
  })
})
