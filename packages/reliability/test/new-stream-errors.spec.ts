// Regression: a connection that fails while a stream is being opened made newStream() reject with what
// the layer below happened to throw: a StreamCloseEvent (not an Error at all) when the connection was
// reset during the stream's protocol negotiation, yamux's plain `Error('Remote sent GoAway')` when the
// remote's muxer gave up on garbage. Found by the fault matrix (`pnpm reliability faults`).
import { generateKeyPair } from '@libp2p/crypto/keys'
import { expect } from 'chai'
import { ECHO_PROTOCOL, dial, startListener, upgraderFor } from '../src/endpoints.js'
import { faultProxy } from '../src/fault-proxy.js'
import type { Fault } from '../src/fault-proxy.js'

async function newStreamThrough (fault: Fault): Promise<unknown> {
  const options = { muxer: 'yamux' as const, upgradeTimeout: 10_000, inactivityTimeout: 10_000 }
  const listener = await startListener(options)
  const proxy = await faultProxy({ host: listener.host, port: listener.port }, fault)
  try {
    const signal = AbortSignal.timeout(20_000)
    const connection = await dial(upgraderFor(await generateKeyPair('Ed25519'), options), listener.addr, { signal, port: proxy.port, inactivityTimeout: 10_000 })
    try {
      const stream = await connection.newStream(ECHO_PROTOCOL, { signal })
      return stream
    } catch (err) {
      return err
    } finally {
      connection.abort(new Error('test over'))
    }
  } finally {
    await listener.close()
    await proxy.close()
  }
}

describe('newStream() on a connection that fails meanwhile', function () {
  this.timeout(60_000)

  // byte 500 from the listener is just past the muxer negotiation (Ed25519 keys, yamux; it ends near byte 460 now
  // that the writes of one turn share a SECIO frame: 450 fell inside it): the dialer's first stream is negotiating its
  // protocol when the reset arrives
  it('a reset during the stream\'s protocol negotiation rejects with a named Error carrying the reset', async () => {
    const err = await newStreamThrough({ kind: 'reset', direction: 'toDialer', at: 500 })
    expect(err).to.be.instanceOf(Error)
    expect((err as Error).name).to.not.equal('Error')
  })

  it('the remote muxer\'s GoAway (after a dropped SECIO frame turned the rest to garbage) rejects with a named Error, the GoAway as its cause', async () => {
    const err = await newStreamThrough({ kind: 'frame-drop', direction: 'toListener', frame: 4 })
    expect(err).to.be.instanceOf(Error)
    expect((err as Error).name).to.not.equal('Error')
    expect(String((err as Error).cause)).to.include('GoAway')
  })
})
