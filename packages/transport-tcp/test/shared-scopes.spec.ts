/**
 * One logger per connection scope, not per connection: every connection of a
 * listener (and of a transport's dials) logs through the same object, and so
 * do the loggers scoped from it (a crypto channel's, a muxer's). What they log
 * and under which name does not change; a scope nobody holds any more is not
 * pinned by the table that shares it.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { tcp } from '../src/index.js'
import { shareScopes } from '../src/shared-scopes.js'
import { captureLogger } from './fixtures/capture-logger.js'
import { fakeUpgrader } from './fixtures/upgrader.js'
import type { FakeConnection } from './fixtures/upgrader.js'
import type { Listener, Logger, MultiaddrConnection } from '@libp2p/interface'

let collect: (() => void) | undefined

/** A full collection, turned on at run time (mocha runs without --expose-gc). */
function collectGarbage (): void {
  if (collect == null) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }
  collect()
}

describe('TCP connection loggers are shared', function () {
  this.timeout(10_000)

  let listener: Listener | undefined
  const open: MultiaddrConnection[] = []

  afterEach(async () => {
    open.splice(0).forEach(maConn => { maConn.abort(new Error('test over')) })
    await listener?.close()
  })

  it('every inbound and every dialed connection logs through one logger, and so do the scopes below it', async () => {
    const logger = captureLogger()
    const transport = tcp()({ logger })
    const upgrader = fakeUpgrader()
    listener = transport.createListener({ upgrader })
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    const addr = listener.getAddrs()[0]

    if (addr == null) throw new Error('the listener reported no address')

    for (let i = 0; i < 3; i++) {
      const next = upgrader.nextInbound()
      const dialed = await transport.dial(addr, { upgrader, signal: AbortSignal.timeout(5_000) })
      open.push((dialed as unknown as FakeConnection).maConn, await next)
    }

    const inbound = open.filter(maConn => maConn.direction === 'inbound')
    const outbound = open.filter(maConn => maConn.direction === 'outbound')
    expect(new Set(inbound.map(maConn => maConn.log)).size).to.equal(1)
    expect(new Set(outbound.map(maConn => maConn.log)).size).to.equal(1)
    expect(inbound[0]?.log).to.not.equal(outbound[0]?.log)

    // a crypto channel scoped from each connection, a muxer scoped from that: still one of each
    const muxers = inbound.map(maConn => maConn.log.newScope('secio').newScope('yamux'))
    expect(new Set(muxers).size).to.equal(1)

    muxers[0]?.('hello from %s', 'yamux')
    expect(logger.lines).to.include('uplink:tcp:listener:connection:secio:yamux hello from yamux')
  })

  it('hands out one logger per scope name, each logging under its own name', () => {
    const logger = captureLogger()
    const log = shareScopes(logger.forComponent('root'))

    expect(log.newScope('a')).to.equal(log.newScope('a'))
    expect(log.newScope('a')).to.not.equal(log.newScope('b'))
    expect(log.newScope('a').newScope('c')).to.equal(log.newScope('a').newScope('c'))

    log.newScope('a').newScope('c').error('failed - %s', 'why')
    log.newScope('b')('fine')
    expect(logger.lines).to.deep.equal(['root:a:c:error failed - why', 'root:b fine'])
  })

  it('does not pin a scope nobody holds any more (a closed stream\'s)', async () => {
    const log = shareScopes(captureLogger().forComponent('root'))
    let held: Logger | undefined = log.newScope('outbound:1')
    const ref = new WeakRef(held)
    held = undefined

    // a WeakRef keeps its target for the rest of the job that made or read it: collect in a later one, then look
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise(resolve => setImmediate(resolve))
      collectGarbage()
      if (ref.deref() == null) break
    }

    expect(ref.deref(), 'the scope logger was collected').to.equal(undefined)
    // asked again, the scope gets a fresh logger that is shared from then on
    expect(log.newScope('outbound:1')).to.equal(log.newScope('outbound:1'))
  })
})
