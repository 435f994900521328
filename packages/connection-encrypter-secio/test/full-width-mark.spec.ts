/**
 * Uplink's full-width mark (`src/handshake/full-width-mark.ts`): two Uplink
 * peers whose ECDH secret starts with a zero byte key at once, without the
 * leading-zero wait, because each one's nonce says it keys with full width.
 * Nobody else's nonce carries the mark, so against every other peer the
 * leading-zero handling is what it was.
 */
import { randomBytes } from 'node:crypto'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { NONCE_LENGTH } from '../src/constants.js'
import { carriesFullWidthMark, markedNonce } from '../src/handshake/full-width-mark.js'
import { FakePeer, rejectionOf } from './fixtures/hostile-peer.js'
import { encrypter, peer } from './fixtures/peers.js'
import { ephemeralFrom, zeroLedP256Pair } from './fixtures/zero-led.js'
import type { SecioProgressEvents } from '../src/progress.js'
import type { SecioTestHooks } from '../src/secio.js'
import type { SecuredConnection } from '@libp2p/interface'

/** Longer than any test may run: a side that waits makes the test fail by its deadline. */
const NEVER = 10 * 60_000

interface Side {
  secured: Promise<SecuredConnection<any>>
  events: SecioProgressEvents[]
}

async function zeroLedHandshake (hooks: [SecioTestHooks, SecioTestHooks], leadingZeroWait: number): Promise<[Side, Side]> {
  const [a, b] = await Promise.all([peer(), peer()])
  const [raw, rawB] = multiaddrConnectionPair()
  const signal = AbortSignal.timeout(20_000)
  const sides = [{ events: [] }, { events: [] }] as unknown as [Side, Side]
  const onProgress = (side: Side) => (event: SecioProgressEvents) => { side.events.push(event) }
  sides[0].secured = encrypter(a, { leadingZeroWait }, hooks[0]).secureOutbound(raw, { signal, remotePeer: b.peerId, onProgress: onProgress(sides[0]) })
  sides[1].secured = encrypter(b, { leadingZeroWait }, hooks[1]).secureInbound(rawB, { signal, onProgress: onProgress(sides[1]) })
  await Promise.all(sides.map(async side => side.secured))
  return sides
}

function keying (side: Side): unknown {
  return side.events.find(event => event.type === 'secio:keys-confirmed')?.detail
}

describe('secio full-width mark', function () {
  this.timeout(30_000)

  it('a marked nonce keeps 12 random bytes and carries the mark; changing any byte loses it', () => {
    const random = randomBytes(NONCE_LENGTH - 4)
    const nonce = markedNonce(random)
    expect(nonce.byteLength).to.equal(NONCE_LENGTH)
    expect(Buffer.from(nonce.subarray(0, 12)).equals(random)).to.equal(true)
    expect(carriesFullWidthMark(nonce)).to.equal(true)

    for (let i = 0; i < NONCE_LENGTH; i++) {
      const changed = Uint8Array.from(nonce)
      changed[i] = (changed[i] ?? 0) ^ 0x01
      expect(carriesFullWidthMark(changed), `byte ${i} flipped`).to.equal(false)
    }
  })

  it('random nonces (what every other implementation sends) do not carry it', () => {
    let marked = 0
    for (let i = 0; i < 20_000; i++) {
      if (carriesFullWidthMark(randomBytes(NONCE_LENGTH))) marked++
    }
    expect(marked).to.equal(0)
  })

  it('two Uplinks with a zero-led secret key with full width at once: neither waits', async () => {
    const pair = zeroLedP256Pair()
    // a wait of ten minutes: if either side waited the handshake would hit its 20 s signal
    const sides = await zeroLedHandshake([{ createEphemeral: ephemeralFrom(pair[0]) }, { createEphemeral: ephemeralFrom(pair[1]) }], NEVER)

    for (const side of sides) {
      expect(keying(side)).to.deep.equal({ leadingZeros: 1, secretWidth: 'full', settledBy: 'both-marked' })
      const proposals = side.events.find(event => event.type === 'secio:proposals')
      expect(proposals?.detail.remoteMarked).to.equal(true)
      const { connection } = await side.secured
      connection.abort(new Error('test done'))
    }
  })

  it('control: the same keys with unmarked nonces (an Uplink before the mark) still take the wait on the side that lost the order', async () => {
    const pair = zeroLedP256Pair()
    const sides = await zeroLedHandshake([
      { createEphemeral: ephemeralFrom(pair[0]), nonce: randomBytes(NONCE_LENGTH) },
      { createEphemeral: ephemeralFrom(pair[1]), nonce: randomBytes(NONCE_LENGTH) }
    ], 50)

    const settled = sides.map(side => (keying(side) as { settledBy: string }).settledBy).sort()
    // the winner reads the loser's frame; the loser's wait ran out
    expect(settled).to.deep.equal(['peer-frame', 'wait-expired'])
    for (const side of sides) (await side.secured).connection.abort(new Error('test done'))
  })

  it('a zero-stripping peer (go-libp2p-like) whose nonce carries the mark by chance fails with MacMismatchError: the documented 1 in 2^32 price', async () => {
    const pair = zeroLedP256Pair()
    const [uplink, fakeIdentity] = await Promise.all([peer(), peer()])
    const [raw, fakeRaw] = multiaddrConnectionPair()
    const fake = new FakePeer(fakeRaw, { privateKey: fakeIdentity.privateKey, nonce: markedNonce(), createEphemeral: ephemeralFrom(pair[1]), stripSecretZeros: true })
    const secured = encrypter(uplink, { leadingZeroWait: NEVER }, { createEphemeral: ephemeralFrom(pair[0]) }).secureInbound(raw, { signal: AbortSignal.timeout(10_000) })

    await fake.upToKeys()
    await fake.writeRaw(fake.nonceFrame().subarray())
    expect((await rejectionOf(secured)).name).to.equal('MacMismatchError')
  })
})
