// A muxer that gives up on its own fails the connection: yamux on a GoAway with an error code and
// mplex past its new-stream rate limit abort their streams with a plain Error and used to leave the
// connection open with no muxer (it "closed cleanly" once the peer left). Now the connection and
// every stream end with a named error caused by the muxer's (MuxerFailedError for the connection), and the raw connection closes, while
// the peer is still there. Found by the upgrader/secured-live fuzz targets (stream ends checked).
import { defaultLogger } from '@libp2p/logger'
import * as mss from '@libp2p/multistream-select'
import { secio } from '@uplink/secio'
import { closed, within } from '@uplink/fuzz'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { ECHO } from './fixtures/echo.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import { fuzzUpgrader } from './fuzz/recorded-upgrade.js'
import type { FuzzMuxer } from './fuzz/recorded-upgrade.js'
import type { Identity } from './fixtures/raw-pair.js'
import type { MessageStream, MultiaddrConnection } from '@libp2p/interface'

const text = new TextEncoder()

/** multistream-select's varint-prefixed lines (all under 128 bytes here). */
function selectLines (...lines: string[]): Uint8Array {
  return Buffer.concat(lines.map(line => Buffer.concat([Uint8Array.of(line.length + 1), text.encode(`${line}\n`)])))
}

function yamuxFrame (type: number, flags: number, streamId: number, length: number, body = new Uint8Array(0)): Uint8Array {
  const header = Buffer.alloc(12)
  header.writeUInt8(0, 0)
  header.writeUInt8(type, 1)
  header.writeUInt16BE(flags, 2)
  header.writeUInt32BE(streamId, 4)
  header.writeUInt32BE(length, 8)
  return Buffer.concat([header, body])
}

const mplexNewStream = (id: number): Uint8Array => Uint8Array.of(id << 3, 1, 0x30 + id)

interface Session {
  inbound: MultiaddrConnection
  /** The hostile dialer's secured connection, honest up to the session keys. */
  hostile: MessageStream
  connectionClosed: Promise<any>
  streamEnds: Array<Promise<Error | undefined>>
}

async function hostileSession (uplink: Identity, hostile: Identity, muxer: FuzzMuxer): Promise<Session> {
  const streamEnds: Array<Promise<Error | undefined>> = []
  const upgrader = fuzzUpgrader(uplink, { muxer, streamEnds })
  const opened = pEvent(upgrader, 'connection:open')
  const { outbound, inbound } = rawPair(uplink.peerId)
  const signal = AbortSignal.timeout(10_000)
  const upgrade = upgrader.upgradeInbound(inbound, { signal })
  await mss.select(outbound, ['/secio/1.0.0'], { signal })
  const secured = await secio()({ privateKey: hostile.privateKey, logger: defaultLogger() }).secureOutbound(outbound, { signal, remotePeer: uplink.peerId })
  secured.connection.send(selectLines('/multistream/1.0.0', `/${muxer}/${muxer === 'yamux' ? '1.0.0' : '6.7.0'}`))
  await within(5_000, upgrade)
  const connection = (await within(5_000, opened) as CustomEvent).detail
  return { inbound, hostile: secured.connection, connectionClosed: pEvent(connection, 'close'), streamEnds }
}

describe('a muxer that aborts itself fails its connection by name', function () {
  let uplink: Identity
  let hostile: Identity

  before(async () => {
    [uplink, hostile] = await Promise.all([identity(), identity()])
  })

  it('yamux, on a GoAway with an error code: the open stream and the connection end with MuxerFailedError (the failure of the connection, as for a local abort), the raw connection closes', async () => {
    const session = await hostileSession(uplink, hostile, 'yamux')
    const opening = Buffer.concat([selectLines('/multistream/1.0.0', ECHO), text.encode('hello')])
    session.hostile.send(yamuxFrame(0, 0x1, 1, opening.byteLength, opening))
    await within(5_000, (async () => { while (session.streamEnds.length === 0) await new Promise(resolve => setTimeout(resolve, 5)) })(), 'the echo handler to get the stream')

    session.hostile.send(yamuxFrame(3, 0, 0, 1))

    const [streamError] = await within(5_000, Promise.all(session.streamEnds))
    expect(streamError).to.have.property('name', 'MuxerFailedError')
    expect(streamError?.cause).to.have.property('message', 'Remote sent GoAway')
    const event = await within(5_000, session.connectionClosed)
    expect(event.error).to.have.property('name', 'MuxerFailedError')
    expect(await closed(session.inbound, 5_000)).to.equal('aborted')
  })

  it('mplex, past its limit of new streams a second: the connection ends with MuxerFailedError, the raw connection closes', async () => {
    const session = await hostileSession(uplink, hostile, 'mplex')
    session.hostile.send(Buffer.concat(Array.from({ length: 7 }, (_, id) => mplexNewStream(id))))

    const event = await within(5_000, session.connectionClosed)
    expect(event.error).to.have.property('name', 'MuxerFailedError')
    expect(event.error.cause).to.have.property('message', 'Too many open streams')
    expect(await closed(session.inbound, 5_000)).to.equal('aborted')
  })
})
