// Concurrent and repeated close() calls share one outcome: a second caller's deadline cannot turn the
// first caller's graceful close into an abort.
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { createUpgrader } from '../src/index.js'
import { readOutcome } from './fixtures/outcome.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import type { Connection, Stream } from '@libp2p/interface'

async function connectedPair (): Promise<{ local: Connection, remoteStream: Promise<Stream> }> {
  const [alice, bob] = await Promise.all([identity(), identity()])
  const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
  const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
  let handed: (stream: Stream) => void = () => {}
  const remoteStream = new Promise<Stream>(resolve => { handed = resolve })
  listener.handle('/data/1.0.0', (stream) => { handed(stream) })
  const { outbound, inbound } = rawPair(bob.peerId)
  const signal = AbortSignal.timeout(10_000)
  const opened = pEvent(listener, 'connection:open')
  const [local] = await Promise.all([dialer.upgradeOutbound(outbound, { signal }), listener.upgradeInbound(inbound, { signal })])
  await opened
  return { local, remoteStream }
}

describe('Connection.close()', () => {
  it('a second, concurrent close() with an aborted signal shares the first one\'s graceful close', async () => {
    const { local, remoteStream } = await connectedPair()
    const stream = await local.newStream('/data/1.0.0')
    const sent = new Uint8Array(200_000).fill(5)
    stream.send(sent)
    const remote = await remoteStream
    const reading = readOutcome(remote)

    const aborted = new AbortController()
    aborted.abort(new Error('the second caller is in a hurry'))
    const outcomes = await Promise.allSettled([local.close(), local.close({ signal: aborted.signal })])

    expect(outcomes.map(o => o.status)).to.deep.equal(['fulfilled', 'fulfilled'])
    expect(local.status).to.equal('closed')
    const outcome = await reading
    expect(outcome.error).to.equal(undefined)
    expect(outcome.bytes).to.deep.equal(sent)
  })

  it('close() after close() resolves at once and changes nothing', async () => {
    const { local } = await connectedPair()
    await local.close()
    await local.close()
    expect(local.status).to.equal('closed')
  })
})
