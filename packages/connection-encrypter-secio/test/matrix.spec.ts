/**
 * Handshakes between Uplink peers across identity key types, curves, ciphers
 * and hashes, each followed by a 100 KiB round trip.
 *
 * Nonces are chosen by the test (through `SecioTestHooks.nonce`) so the order
 * is KNOWN: the test computes SHA-256(remoteKey ‖ localNonce) vs
 * SHA-256(localKey ‖ remoteNonce) itself and draws nonces until the wanted
 * side wins. The winner lists the target algorithm first; the loser lists it
 * last, behind everything else. Only walking the winner's list yields the
 * target, so each case proves the selection direction, and every suite is
 * run once with the dialer winning (dialer on the `order > 0` path) and once
 * with the listener winning (dialer on `order < 0`).
 */
import { randomBytes } from 'node:crypto'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { encrypter, handshake, peer, transfer } from './fixtures/peers.js'
import { orderFor, recordSends, toHex } from './fixtures/wire.js'
import type { CipherName, ExchangeName, HashName, Preferences, Suite } from '../src/handshake/algorithms.js'
import type { SecioInit } from '../src/index.js'
import type { KeyKind, Peer } from './fixtures/peers.js'

const EXCHANGES: ExchangeName[] = ['P-256', 'P-384', 'P-521']
const CIPHERS: CipherName[] = ['AES-128', 'AES-256']
const HASHES: HashName[] = ['SHA256', 'SHA512']
const KINDS: KeyKind[] = ['Ed25519', 'secp256k1', 'RSA']
const PAYLOAD = 100 * 1024

/** `target` first, then the rest in their usual order. */
function first<T> (target: T, all: T[]): T[] {
  return [target, ...all.filter(x => x !== target)]
}

/** Everything else first, `target` last. */
function last<T> (target: T, all: T[]): T[] {
  return [...all.filter(x => x !== target), target]
}

function winnerLists (suite: Suite): Preferences {
  return { exchanges: first(suite.exchange, EXCHANGES), ciphers: first(suite.cipher, CIPHERS), hashes: first(suite.hash, HASHES) }
}

function loserLists (suite: Suite): Preferences {
  return { exchanges: last(suite.exchange, EXCHANGES), ciphers: last(suite.cipher, CIPHERS), hashes: last(suite.hash, HASHES) }
}

/** Nonces for which the dialer's order has the wanted sign. */
function noncesFor (dialer: Peer, listener: Peer, dialerWins: boolean): [Uint8Array, Uint8Array] {
  const dialerKey = publicKeyToProtobuf(dialer.privateKey.publicKey)
  const listenerKey = publicKeyToProtobuf(listener.privateKey.publicKey)

  for (let i = 0; i < 200; i++) {
    const nd = randomBytes(16)
    const nl = randomBytes(16)
    const order = orderFor(dialerKey, nd, listenerKey, nl)

    if (order !== 0 && (order > 0) === dialerWins) {
      // the listener must see the opposite sign
      expect(Math.sign(orderFor(listenerKey, nl, dialerKey, nd))).to.equal(-Math.sign(order))
      return [nd, nl]
    }
  }

  throw new Error('could not draw nonces with the wanted order')
}

interface Case {
  dialerKind: KeyKind
  listenerKind: KeyKind
  suite: Suite
  dialerWins: boolean
}

async function runCase ({ dialerKind, listenerKind, suite, dialerWins }: Case): Promise<void> {
  const [a, b] = [await peer(dialerKind), await peer(listenerKind)]
  const [nonceA, nonceB] = noncesFor(a, b, dialerWins)
  const common: SecioInit = { leadingZeroWait: 50 }
  const initA = { ...common, ...(dialerWins ? winnerLists(suite) : loserLists(suite)) }
  const initB = { ...common, ...(dialerWins ? loserLists(suite) : winnerLists(suite)) }

  // sanity: the loser's own first choice differs from the target in at least the cipher and hash
  const loser = dialerWins ? initB : initA
  expect(loser.ciphers?.[0]).to.not.equal(suite.cipher)
  expect(loser.hashes?.[0]).to.not.equal(suite.hash)

  const raw = multiaddrConnectionPair()
  const sentByDialer = recordSends(raw[0])
  const { dialer, listener } = await handshake(
    encrypter(a, initA, { nonce: nonceA }),
    encrypter(b, initB, { nonce: nonceB }),
    b.peerId,
    raw
  )

  try {
    expect(dialer.remoteExtensions).to.deep.equal(suite)
    expect(listener.remoteExtensions).to.deep.equal(suite)
    expect(dialer.remotePeer.equals(b.peerId)).to.equal(true)
    expect(listener.remotePeer.equals(a.peerId)).to.equal(true)

    // the injected nonce is the Propose's rand: length prefix, 0a 10, then the 16 bytes
    const propose = sentByDialer[0] ?? new Uint8Array()
    expect(toHex(propose.subarray(4, 6))).to.equal('0a10')
    expect(toHex(propose.subarray(6, 22))).to.equal(toHex(nonceA))

    const there = randomBytes(PAYLOAD)
    const back = randomBytes(PAYLOAD)
    const [atListener, atDialer] = await Promise.all([
      transfer(dialer.connection, listener.connection, there, 16 * 1024),
      transfer(listener.connection, dialer.connection, back, 16 * 1024)
    ])

    expect(toHex(atListener)).to.equal(toHex(there))
    expect(toHex(atDialer)).to.equal(toHex(back))
  } finally {
    dialer.connection.abort(new Error('matrix case done'))
    listener.connection.abort(new Error('matrix case done'))
  }
}

function label (c: Case): string {
  const kinds = c.dialerKind === c.listenerKind ? c.dialerKind : `${c.dialerKind} ↔ ${c.listenerKind}`
  return `${kinds} ${c.suite.exchange}/${c.suite.cipher}/${c.suite.hash}, ${c.dialerWins ? 'dialer' : 'listener'} wins the order`
}

/**
 * The full product: every key type × curve × cipher × hash (36 combinations),
 * each run with the dialer winning and with the listener winning (72
 * handshakes; a few seconds, RSA keys come from the fixture cache).
 */
const cases: Case[] = []

for (const kind of KINDS) {
  for (const exchange of EXCHANGES) {
    for (const cipher of CIPHERS) {
      for (const hash of HASHES) {
        for (const dialerWins of [true, false]) {
          cases.push({ dialerKind: kind, listenerKind: kind, suite: { exchange, cipher, hash }, dialerWins })
        }
      }
    }
  }
}

describe('secio matrix: key types × curves × ciphers × hashes', function () {
  this.timeout(30_000)

  for (const c of cases) {
    it(label(c), async () => {
      await runCase(c)
    })
  }

  describe('mixed identity key types', () => {
    const mixed: Case[] = [
      { dialerKind: 'Ed25519', listenerKind: 'RSA', suite: { exchange: 'P-384', cipher: 'AES-128', hash: 'SHA512' }, dialerWins: true },
      { dialerKind: 'RSA', listenerKind: 'Ed25519', suite: { exchange: 'P-521', cipher: 'AES-256', hash: 'SHA256' }, dialerWins: false },
      { dialerKind: 'secp256k1', listenerKind: 'Ed25519', suite: { exchange: 'P-256', cipher: 'AES-128', hash: 'SHA256' }, dialerWins: false },
      { dialerKind: 'Ed25519', listenerKind: 'secp256k1', suite: { exchange: 'P-384', cipher: 'AES-256', hash: 'SHA512' }, dialerWins: true }
    ]

    for (const c of mixed) {
      it(label(c), async () => {
        await runCase(c)
      })
    }

    it('Ed25519 ↔ RSA with default preferences and one side offering a single suite', async () => {
      const [a, b] = [await peer('Ed25519'), await peer('RSA')]
      const only: SecioInit = { exchanges: ['P-384'], ciphers: ['AES-128'], hashes: ['SHA512'], leadingZeroWait: 50 }
      const { dialer, listener } = await handshake(encrypter(a, only), encrypter(b, { leadingZeroWait: 50 }), b.peerId)

      try {
        const expected = { exchange: 'P-384', cipher: 'AES-128', hash: 'SHA512' }
        expect(dialer.remoteExtensions).to.deep.equal(expected)
        expect(listener.remoteExtensions).to.deep.equal(expected)

        const data = randomBytes(PAYLOAD)
        expect(toHex(await transfer(listener.connection, dialer.connection, data))).to.equal(toHex(data))
      } finally {
        dialer.connection.abort(new Error('done'))
        listener.connection.abort(new Error('done'))
      }
    })
  })
})
