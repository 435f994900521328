// Every curve × cipher × hash go-libp2p-secio v0.2.3 runs (P-256/P-384/P-521 × AES-256/AES-128 ×
// SHA256/SHA512), forced from the Go side (its preference lists are package variables, set by
// flags) and from the Uplink side (secio({ exchanges, ciphers, hashes })), each in both directions;
// and, with opposite preference orders, the suite the order winner prefers.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { GO_CIPHERS, GO_CURVES, GO_HASHES, GoPeer, patternDigest, setUpGoPeer } from './fixtures/go-peer.js'
import type { GoCipher, GoCurve, GoHash } from './fixtures/go-peer.js'
import type { Listener, PrivateKey } from '@libp2p/interface'
import type { SecioInit } from '@uplink/secio'

const ECHO_BYTES = 256 * 1024

interface Suite { exchange: GoCurve, cipher: GoCipher, hash: GoHash }

const SUITES: Suite[] = GO_CURVES.flatMap(exchange => GO_CIPHERS.flatMap(cipher => GO_HASHES.map(hash => ({ exchange, cipher, hash }))))

describe('live interop with the Go SECIO: every suite Go runs, forced from either side', function () {
  this.timeout(60_000)
  const listeners: Listener[] = []
  let privateKey: PrivateKey

  before(async function () {
    await setUpGoPeer(this)
    privateKey = await generateKeyPair('Ed25519')
  })

  afterEach(async () => {
    await Promise.all(listeners.splice(0).map(async l => l.close()))
    await GoPeer.stopAll()
  })

  /** Uplink dials `go`, then `go` dials an Uplink listener; both handshakes must settle on `suite`. */
  async function bothDirections (go: GoPeer, suite: Suite, init?: SecioInit): Promise<void> {
    const uplinkId = peerIdFromPrivateKey(privateKey).toString()

    const secured = await bareSecioDial(privateKey, go.addrs[0] ?? '', false, peerIdFromString(go.peerId), init)
    expect(secured.remoteExtensions).to.deep.equal(suite)
    expect(await digestEcho(secured.connection, ECHO_BYTES, 64 * 1024)).to.include({ intact: true })
    const inbound = await go.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
    expect(inbound).to.include({ ok: true, remotePeer: uplinkId, secretCurve: suite.exchange, cipher: suite.cipher, hash: suite.hash })

    const bare = await bareSecioEchoListener(privateKey, false, init)
    listeners.push(bare.listener)
    const result = await go.dialEcho(`${bare.addr}/p2p/${uplinkId}`, ECHO_BYTES)
    expect(result).to.include({ ok: true, sha256: patternDigest(ECHO_BYTES), secretCurve: suite.exchange, cipher: suite.cipher, hash: suite.hash })
    expect((await bare.sessions[0])?.remoteExtensions).to.deep.equal(suite)
  }

  for (const suite of SUITES) {
    const name = `${suite.exchange} / ${suite.cipher} / ${suite.hash}`

    it(`forced by Go (only ${name} offered), Uplink offering everything: both directions`, async () => {
      const go = await GoPeer.start({ mode: 'bare-secio-listen', exchanges: [suite.exchange], ciphers: [suite.cipher], hashes: [suite.hash] })
      expect(go.ready).to.include({ exchanges: suite.exchange, ciphers: suite.cipher, hashes: suite.hash })
      await bothDirections(go, suite)
    })

    it(`forced by Uplink (only ${name} offered), Go offering its defaults: both directions`, async () => {
      const go = await GoPeer.start({ mode: 'bare-secio-listen' })
      await bothDirections(go, suite, { exchanges: [suite.exchange], ciphers: [suite.cipher], hashes: [suite.hash] })
    })
  }

  it('with opposite preference orders, each handshake takes the first choices of the side that won the order (both winners seen)', async () => {
    // Go's lists reversed against Uplink's defaults (P-256,P-384,P-521 / AES-256,AES-128 / SHA256,SHA512)
    const go = await GoPeer.start({ mode: 'bare-secio-listen', exchanges: ['P-521', 'P-384', 'P-256'], ciphers: ['AES-128', 'AES-256'], hashes: ['SHA512', 'SHA256'] })
    const goWins: Suite = { exchange: 'P-521', cipher: 'AES-128', hash: 'SHA512' }
    const uplinkWins: Suite = { exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' }
    const orders = new Set<number>()

    // each order has probability 1/2 per handshake; 40 rounds miss one with p = 2^-39
    for (let round = 1; round <= 40 && orders.size < 2; round++) {
      const secured = await bareSecioDial(privateKey, go.addrs[0] ?? '', false, peerIdFromString(go.peerId))
      expect(await digestEcho(secured.connection, 1024, 1024)).to.include({ intact: true })
      const inbound = await go.waitForEvent(e => e.event === 'inbound' && e.handshake === round, { timeoutMs: 10_000 })
      expect(inbound.order === 1 || inbound.order === -1, JSON.stringify(inbound)).to.equal(true)
      orders.add(Number(inbound.order))
      expect(secured.remoteExtensions).to.deep.equal(inbound.order === 1 ? goWins : uplinkWins)
    }

    expect([...orders].sort()).to.deep.equal([-1, 1])
  })
})
