/**
 * What a handshake leaves behind and how its own deadline ends it. Retention
 * is counted, not timed: every timer created while the handshakes ran is
 * tracked with async_hooks until it is cleared or fires, and the caller's
 * long-lived signal is checked for leftover listeners.
 */
import { createHook } from 'node:async_hooks'
import { getEventListeners } from 'node:events'
import { TimeoutError } from '@libp2p/interface'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { DeadlineExceededError } from '@uplink/deadline'
import { expect } from 'chai'
import { DEFAULT_HANDSHAKE_TIMEOUT } from '../src/constants.js'
import { FakePeer, closed, rejectionOf, within } from './fixtures/hostile-peer.js'
import { encrypter, handshake, peer } from './fixtures/peers.js'
import type { SecioInit } from '../src/index.js'

/** Counts the timers created from now until live() is called that are still pending. */
async function timerCensus (): Promise<{ live(): Promise<number>, stop(): void }> {
  // mocha arms the test's own timeout once the test function first awaits: let it, before counting
  await new Promise(resolve => setImmediate(resolve))
  const pending = new Set<number>()
  let counting = true
  const hook = createHook({
    init (id, type) { if (counting && type === 'Timeout') pending.add(id) },
    destroy (id) { pending.delete(id) }
  })
  hook.enable()

  return {
    async live () {
      counting = false
      // let 0 ms timers fire and destroy hooks (queued) run
      for (let i = 0; i < 5; i++) await new Promise(resolve => setTimeout(resolve, 1))
      await new Promise(resolve => setImmediate(resolve))
      return pending.size
    },
    stop () { hook.disable() }
  }
}

/** A handshake that fails fast: the peer's Propose is garbage. */
async function failedHandshake (init: SecioInit, signal?: AbortSignal): Promise<string> {
  const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
  const [raw, fakeRaw] = multiaddrConnectionPair()
  const fake = new FakePeer(fakeRaw, { privateKey: fakeIdentity.privateKey })
  const secured = encrypter(uplink, init).secureInbound(raw, { signal })
  await fake.writeMessage(new Uint8Array([0xff, 0xff, 0xff]))
  const err = await rejectionOf(secured)
  expect(await closed(raw)).to.equal('aborted')
  return err.name
}

describe('secio handshake lifecycle', function () {
  this.timeout(30_000)

  // Regression: AbortSignal.timeout(30 s) was armed per handshake and never cleared, pinning its state for 30 s.
  it('50 failed handshakes with the default timeout leave no timer and no listener on the caller\'s signal', async () => {
    const caller = new AbortController()
    const census = await timerCensus()

    try {
      for (let i = 0; i < 50; i++) {
        expect(await failedHandshake({}, caller.signal)).to.equal('InvalidProposeError')
      }

      expect(await census.live(), 'timers still pending').to.equal(0)
      expect(getEventListeners(caller.signal, 'abort'), 'listeners on the caller\'s signal').to.have.lengthOf(0)
    } finally {
      census.stop()
    }
  })

  it('20 successful handshakes (then closed) with the default timeout leave no timer and no listener on the caller\'s signal', async () => {
    const caller = new AbortController()
    const census = await timerCensus()

    try {
      for (let i = 0; i < 20; i++) {
        const [alice, bob] = await Promise.all([peer(), peer()])
        const raw = multiaddrConnectionPair()
        const [d, l] = await Promise.all([
          encrypter(alice).secureOutbound(raw[0], { signal: caller.signal, remotePeer: bob.peerId }),
          encrypter(bob).secureInbound(raw[1], { signal: caller.signal })
        ])
        await Promise.all([d.connection.close(), l.connection.close()])
      }

      expect(await census.live(), 'timers still pending').to.equal(0)
      expect(getEventListeners(caller.signal, 'abort')).to.have.lengthOf(0)
    } finally {
      census.stop()
    }
  })

  // Regression: SECIO's own deadline surfaced as a DOMException, not the TimeoutError class docs/SECIO.md promises.
  it('SECIO\'s own deadline (handshakeTimeout) rejects with a TimeoutError that is a DeadlineExceededError, and closes the connection', async () => {
    const uplink = await peer()
    const [raw, fakeRaw] = multiaddrConnectionPair()
    const err = await rejectionOf(encrypter(uplink, { handshakeTimeout: 200 }).secureInbound(raw))

    expect(err.name).to.equal('TimeoutError')
    expect(err).to.be.instanceOf(TimeoutError)
    expect(err).to.be.instanceOf(DeadlineExceededError)
    expect(err.timeoutMs).to.equal(200)
    expect(await closed(raw)).to.equal('aborted')
    expect(await closed(fakeRaw)).to.equal('reset')
  })

  it('the caller\'s abort still wins over the deadline and keeps its own reason', async () => {
    const uplink = await peer()
    const [raw] = multiaddrConnectionPair()
    const caller = new AbortController()
    const reason = new Error('the caller gave up')
    reason.name = 'CallerGaveUpError'
    const secured = encrypter(uplink).secureInbound(raw, { signal: caller.signal })
    caller.abort(reason)

    expect(await rejectionOf(secured)).to.equal(reason)
    expect(getEventListeners(caller.signal, 'abort')).to.have.lengthOf(0)
  })

  // The default is 30 s; instead of waiting for it, the timers armed with exactly that delay are made to fire at once.
  it('with no options the handshake deadline is DEFAULT_HANDSHAKE_TIMEOUT, and when it fires it is a TimeoutError', async () => {
    const uplink = await peer()
    const [raw, fakeRaw] = multiaddrConnectionPair()
    const realSetTimeout = globalThis.setTimeout
    const armed: number[] = []
    globalThis.setTimeout = ((callback: (...args: any[]) => void, ms?: number, ...args: any[]) => {
      armed.push(ms ?? 0)
      return realSetTimeout(callback, ms === DEFAULT_HANDSHAKE_TIMEOUT ? 10 : ms, ...args)
    }) as typeof setTimeout

    let err: any
    try {
      err = await rejectionOf(encrypter(uplink).secureInbound(raw), 5_000)
    } finally {
      globalThis.setTimeout = realSetTimeout
    }

    expect(armed).to.include(DEFAULT_HANDSHAKE_TIMEOUT)
    expect(err.name).to.equal('TimeoutError')
    expect(err).to.be.instanceOf(DeadlineExceededError)
    expect(err.timeoutMs).to.equal(DEFAULT_HANDSHAKE_TIMEOUT)
    expect(await closed(raw)).to.equal('aborted')
    expect(await closed(fakeRaw)).to.equal('reset')
  })

  it('a handshake that completes is not aborted later by its deadline', async () => {
    const [alice, bob] = await Promise.all([peer(), peer()])
    const { dialer, listener } = await handshake(encrypter(alice, { handshakeTimeout: 100 }), encrypter(bob, { handshakeTimeout: 100 }), bob.peerId)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(dialer.connection.status).to.equal('open')
    expect(listener.connection.status).to.equal('open')
    await within(2_000, Promise.all([dialer.connection.close(), listener.connection.close()]))
  })
})
