// Uplink's SECIO against the reference Go SECIO (go-libp2p-secio v0.2.3), live: bare SECIO on a
// TCP socket and behind multistream-select, each side as listener and as dialer, every identity
// key type Go has, and a wrong expected peer in both directions.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { GO_MAX_FRAME, GoPeer, patternDigest, setUpGoPeer } from './fixtures/go-peer.js'
import type { GoKeyType } from './fixtures/go-peer.js'
import type { Listener, PeerId, PrivateKey, SecuredConnection } from '@libp2p/interface'

const MiB = 1024 * 1024
const KEY_TYPES: GoKeyType[] = ['ed25519', 'secp256k1', 'rsa', 'ecdsa']
/** Uplink's own frames as large as it sends them: 8 MiB minus the largest MAC. */
const UPLINK_MAX_SEND_CHUNK = GO_MAX_FRAME - 64
const SHA256_MAC = 32

async function uplinkKey (type: GoKeyType): Promise<PrivateKey> {
  switch (type) {
    case 'rsa': return generateKeyPair('RSA', 2048)
    case 'secp256k1': return generateKeyPair('secp256k1')
    case 'ecdsa': return generateKeyPair('ECDSA', 'P-256')
    default: return generateKeyPair('Ed25519')
  }
}

async function failure (promise: Promise<unknown>): Promise<any> {
  return promise.then(() => { throw new Error('expected a failure') }, (err: unknown) => err)
}

describe('live interop with the Go SECIO (go-libp2p-secio v0.2.3)', function () {
  this.timeout(120_000)
  let listener: Listener | undefined

  before(async function () {
    await setUpGoPeer(this)
  })

  afterEach(async () => {
    await listener?.close()
    listener = undefined
    await GoPeer.stopAll()
  })

  it('runs the pinned modules: go-libp2p-secio v0.2.3 on go-libp2p-core ≤ v0.9.0', async () => {
    const go = await GoPeer.start({ mode: 'bare-secio-listen' })
    expect(go.modules['github.com/libp2p/go-libp2p-secio']).to.equal('v0.2.3')
    const core = go.modules['github.com/libp2p/go-libp2p-core'] ?? ''
    expect(core).to.match(/^v0\.[0-9]\.[0-9]+$/)
    expect(go.ready).to.include({ exchanges: 'P-256,P-384,P-521', ciphers: 'AES-256,AES-128', hashes: 'SHA256,SHA512' })
  })

  for (const useMss of [false, true]) {
    describe(`bare SECIO ${useMss ? 'behind multistream-select' : 'on the raw socket'}`, () => {
      it('Uplink dials the Go listener: 24 MiB echoed in 8 MiB writes, frames of 8 MiB each way, digests equal', async () => {
        const go = await GoPeer.start({ mode: 'bare-secio-listen', mss: useMss })
        const privateKey = await uplinkKey('ed25519')

        const secured = await bareSecioDial(privateKey, go.addrs[0] ?? '', useMss, peerIdFromString(go.peerId), { maxSendChunk: UPLINK_MAX_SEND_CHUNK })
        expect(secured.remotePeer.toString()).to.equal(go.peerId)
        const echoed = await digestEcho(secured.connection, 24 * MiB, GO_MAX_FRAME)
        expect(echoed).to.include({ sent: 24 * MiB, received: 24 * MiB, intact: true })

        const inbound = await go.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
        expect(inbound).to.include({ ok: true, bytes: 24 * MiB, sha256: echoed.sha256, remotePeer: peerIdFromPrivateKey(privateKey).toString(), hash: 'SHA256' })
        // Go answers each frame with one frame of the same size: Uplink read Go's frames of 8 MiB - 32
        expect(inbound).to.include({ maxFrameIn: UPLINK_MAX_SEND_CHUNK + SHA256_MAC, maxFrameOut: UPLINK_MAX_SEND_CHUNK + SHA256_MAC })
      })

      it('the Go dialer reaches an Uplink listener: 24 MiB echoed, Go writing frames of exactly 8 MiB, digests equal', async () => {
        const privateKey = await uplinkKey('ed25519')
        const bare = await bareSecioEchoListener(privateKey, useMss)
        listener = bare.listener
        const go = await GoPeer.start({ mode: 'bare-secio-dial', mss: useMss })
        const uplinkId = peerIdFromPrivateKey(privateKey).toString()

        const result = await go.dialEcho(`${bare.addr}/p2p/${uplinkId}`, 24 * MiB, { chunk: GO_MAX_FRAME })

        expect(result).to.include({ ok: true, bytes: 24 * MiB, remotePeer: uplinkId, sha256: patternDigest(24 * MiB), maxFrameOut: GO_MAX_FRAME })
        const [session] = bare.sessions
        expect((await session)?.remotePeer.toString()).to.equal(go.peerId)
      })

      it('Uplink dialing the Go listener under another PeerId fails with UnexpectedPeerError carrying both ids', async () => {
        const go = await GoPeer.start({ mode: 'bare-secio-listen', mss: useMss })
        const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

        const err = await failure(bareSecioDial(await uplinkKey('ed25519'), go.addrs[0] ?? '', useMss, other))

        expect(err).to.have.property('name', 'UnexpectedPeerError')
        expect(String(err.expected)).to.equal(other.toString())
        expect(String(err.actual)).to.equal(go.peerId)
        // Uplink stops before its Exchange: the Go side never finishes a handshake
        const inbound = await go.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
        expect(inbound).to.include({ ok: false })
        expect((await go.secretStats()).handshakes).to.equal(0)
      })

      it('the Go dialer refuses an Uplink listener that is not the PeerId it dialed (ErrWrongPeer); no session on either side', async () => {
        const bare = await bareSecioEchoListener(await uplinkKey('ed25519'), useMss)
        listener = bare.listener
        const go = await GoPeer.start({ mode: 'bare-secio-dial', mss: useMss })
        const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

        const result = await go.tryDialEcho(`${bare.addr}/p2p/${other.toString()}`, 1024)

        expect(result.ok).to.equal(false)
        expect(result.error).to.match(/^ErrWrongPeer: /)
        expect(bare.sessions).to.have.lengthOf(0)
        expect((await go.secretStats()).handshakes).to.equal(0)
      })
    })
  }

  describe('identity keys', () => {
    for (const keyType of KEY_TYPES) {
      it(`Uplink dials a Go listener with a ${keyType} identity (verifies its PeerId and signature), 2 MiB echoed`, async () => {
        const go = await GoPeer.start({ mode: 'bare-secio-listen', keyType })
        expect(go.keyType).to.equal(keyType)
        const privateKey = await uplinkKey(keyType === 'ecdsa' ? 'ed25519' : keyType)

        const secured = await bareSecioDial(privateKey, go.addrs[0] ?? '', false, peerIdFromString(go.peerId))

        expect(secured.remotePeer.toString()).to.equal(go.peerId)
        expect(await digestEcho(secured.connection, 2 * MiB, 64 * 1024)).to.include({ intact: true })
        const inbound = await go.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
        expect(inbound).to.include({ ok: true, bytes: 2 * MiB, remotePeer: peerIdFromPrivateKey(privateKey).toString() })
      })

      it(`a Go dialer with a ${keyType} identity reaches an Uplink listener${keyType === 'ecdsa' ? ' (Ed25519: Uplink has no ECDSA identity)' : ` with a ${keyType} identity`}, 2 MiB echoed`, async () => {
        const privateKey = await uplinkKey(keyType === 'ecdsa' ? 'ed25519' : keyType)
        const bare = await bareSecioEchoListener(privateKey, false)
        listener = bare.listener
        const go = await GoPeer.start({ mode: 'bare-secio-dial', keyType })
        const uplinkId = peerIdFromPrivateKey(privateKey).toString()

        const result = await go.dialEcho(`${bare.addr}/p2p/${uplinkId}`, 2 * MiB, { chunk: 100_000 })

        expect(result).to.include({ ok: true, remotePeer: uplinkId, sha256: patternDigest(2 * MiB) })
        const secured: SecuredConnection | undefined = await bare.sessions[0]
        expect(secured?.remotePeer.toString()).to.equal(go.peerId)
      })
    }

    it('Uplink with a local ECDSA identity refuses to start a handshake with Go: UnsupportedIdentityError', async () => {
      const go = await GoPeer.start({ mode: 'bare-secio-listen' })
      const expected: PeerId = peerIdFromString(go.peerId)

      const err = await failure(bareSecioDial(await uplinkKey('ecdsa'), go.addrs[0] ?? '', false, expected))

      expect(err).to.have.property('name', 'UnsupportedIdentityError')
      const inbound = await go.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
      expect(inbound).to.include({ ok: false })
      expect((await go.secretStats()).handshakes).to.equal(0)
    })
  })
})
