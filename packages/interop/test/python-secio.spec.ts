// Uplink's SECIO against the Python SECIO from PyPI (py-libp2p 0.8.1, the newest release, which still
// ships libp2p/security/secio), installed by the test run into a virtualenv and started as a separate
// process: bare SECIO on the socket (py-libp2p's SECIO has no multistream-select of its own here), each
// side dialing, each identity key type. py-libp2p offers P-256 / AES-128 / SHA256 only.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { DEFAULT_MAX_FRAME_LENGTH } from '@uplink/secio'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { frameMeter } from './fixtures/frame-meter.js'
import { IDENTITY_TYPES, identityKey, privateKeyBase64 } from './fixtures/identities.js'
import { sha256Hex, shake128Pattern } from './fixtures/patterns.js'
import { setUpPythonPeer, startPythonPeer } from './fixtures/python-peer.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import type { FrameMeter } from './fixtures/frame-meter.js'
import type { Listener } from '@libp2p/interface'

const MiB = 1024 * 1024
/** Several MiB, not a multiple of any frame size. */
const ECHO_BYTES = 4 * MiB + 4321
const LARGE_BYTES = 24 * MiB + 17
/** py-libp2p only does SHA256: 32-byte MACs. */
const MAC = 32
/** Uplink never puts more than 8 MiB − 64 in a frame (room for a SHA512 MAC), whatever it is asked. */
const UPLINK_LARGEST_CHUNK = DEFAULT_MAX_FRAME_LENGTH - 64

function viaPort (addr: string, port: number): string {
  return addr.replace(/\/tcp\/\d+/, `/tcp/${port}`)
}

function portOf (addr: string): number {
  return Number(/\/tcp\/(\d+)/.exec(addr)?.[1])
}

describe('live interop with the Python SECIO (py-libp2p 0.8.1)', function () {
  this.timeout(120_000)
  let listener: Listener | undefined
  let meter: FrameMeter | undefined

  before(async function () {
    await setUpPythonPeer(this)
  })

  afterEach(async () => {
    await listener?.close()
    await meter?.close()
    listener = undefined
    meter = undefined
    await SecioPeer.stopAll()
  })

  it('runs py-libp2p\'s own suite: P-256, AES-128, SHA256', async () => {
    const python = await startPythonPeer({ mode: 'bare-secio-listen' })
    expect(python.ready).to.include({ implementation: 'py-libp2p 0.8.1 (Python)', exchanges: 'P-256', ciphers: 'AES-128', hashes: 'SHA256' })

    const secured = await bareSecioDial(await identityKey('ed25519'), python.addr, false, peerIdFromString(python.peerId))

    expect(secured.remoteExtensions).to.deep.equal({ exchange: 'P-256', cipher: 'AES-128', hash: 'SHA256' })
    expect(await digestEcho(secured.connection, 1024, 1024)).to.include({ intact: true })
  })

  for (const keyType of IDENTITY_TYPES) {
    it(`Uplink (${keyType}) dials the Python listener (${keyType}): 4 MiB echoed, the same digest on both sides`, async () => {
      const [uplinkKey, pythonKey] = await Promise.all([identityKey(keyType), identityKey(keyType)])
      const python = await startPythonPeer({ mode: 'bare-secio-listen', privateKey: privateKeyBase64(pythonKey) })
      expect(python.peerId).to.equal(peerIdFromPrivateKey(pythonKey).toString())
      expect(python.keyType).to.equal(keyType)

      const secured = await bareSecioDial(uplinkKey, python.addr, false, peerIdFromString(python.peerId))
      expect(secured.remotePeer.toString()).to.equal(python.peerId)
      const echoed = await digestEcho(secured.connection, ECHO_BYTES, 64 * 1024)

      expect(echoed).to.include({ sent: ECHO_BYTES, received: ECHO_BYTES, intact: true })
      const inbound = await python.waitForEvent(e => e.event === 'inbound')
      expect(inbound).to.include({ ok: true, bytes: ECHO_BYTES, sha256: echoed.sha256, remotePeer: peerIdFromPrivateKey(uplinkKey).toString() })
    })

    it(`the Python dialer (${keyType}) reaches an Uplink listener (${keyType}): 4 MiB echoed, the digest of the bytes it sent`, async () => {
      const [uplinkKey, pythonKey] = await Promise.all([identityKey(keyType), identityKey(keyType)])
      const bare = await bareSecioEchoListener(uplinkKey, false)
      listener = bare.listener
      const python = await startPythonPeer({ mode: 'bare-secio-dial', privateKey: privateKeyBase64(pythonKey) })
      const uplinkId = peerIdFromPrivateKey(uplinkKey).toString()

      const result = await python.dialEcho(`${bare.addr}/p2p/${uplinkId}`, ECHO_BYTES, { seed: 7 })

      expect(result).to.include({ ok: true, bytes: ECHO_BYTES, remotePeer: uplinkId, sha256: sha256Hex(shake128Pattern(7, ECHO_BYTES)) })
      expect((await bare.sessions[0])?.remotePeer.toString()).to.equal(python.peerId)
    })
  }

  it('frames of 8 MiB − 32 from Uplink come back as frames of the same size, the Python echo\'s largest: 24 MiB echoed', async () => {
    const python = await startPythonPeer({ mode: 'bare-secio-listen' })
    meter = await frameMeter(portOf(python.addr))
    const secured = await bareSecioDial(await identityKey('ed25519'), viaPort(python.addr, meter.port), false,
      peerIdFromString(python.peerId), { maxSendChunk: DEFAULT_MAX_FRAME_LENGTH })

    const echoed = await digestEcho(secured.connection, LARGE_BYTES, 8 * MiB)

    expect(echoed).to.include({ sent: LARGE_BYTES, received: LARGE_BYTES, intact: true })
    expect(await python.waitForEvent(e => e.event === 'inbound')).to.include({ ok: true, sha256: echoed.sha256 })
    expect(meter.fromDialer.largest).to.equal(UPLINK_LARGEST_CHUNK + MAC)
    // py-libp2p's session.read() returns one frame, and each write is one frame
    expect(meter.fromListener.largest).to.equal(UPLINK_LARGEST_CHUNK + MAC)
  })

  it('the Python dialer writes 8 MiB − 32 bytes at a time: frames of exactly 8 MiB, the most Uplink accepts; 24 MiB echoed', async () => {
    const uplinkKey = await identityKey('ed25519')
    const bare = await bareSecioEchoListener(uplinkKey, false)
    listener = bare.listener
    meter = await frameMeter(portOf(bare.addr))
    const python = await startPythonPeer({ mode: 'bare-secio-dial' })

    const result = await python.dialEcho(`${viaPort(bare.addr, meter.port)}/p2p/${peerIdFromPrivateKey(uplinkKey).toString()}`,
      LARGE_BYTES, { chunk: DEFAULT_MAX_FRAME_LENGTH - MAC, timeoutMs: 100_000 })

    expect(result).to.include({ ok: true, bytes: LARGE_BYTES, sha256: sha256Hex(shake128Pattern(1, LARGE_BYTES)) })
    expect(meter.fromDialer.largest).to.equal(DEFAULT_MAX_FRAME_LENGTH)
    expect(meter.fromDialer.lengths.filter(n => n === DEFAULT_MAX_FRAME_LENGTH)).to.have.lengthOf(3)
  })

  it('a Python write of 8 MiB − 31 bytes is a frame of 8 MiB + 1 (py-libp2p has no limit of its own): Uplink refuses it with InvalidFrameLengthError', async () => {
    const uplinkKey = await identityKey('ed25519')
    const bare = await bareSecioEchoListener(uplinkKey, false)
    listener = bare.listener
    const python = await startPythonPeer({ mode: 'bare-secio-dial' })

    const result = await python.tryDialEcho(`${bare.addr}/p2p/${peerIdFromPrivateKey(uplinkKey).toString()}`, 16 * MiB,
      { chunk: DEFAULT_MAX_FRAME_LENGTH - MAC + 1 })

    expect(result.ok).to.equal(false)
    const err = await bare.sessions[0]?.then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('name', 'InvalidFrameLengthError')
  })

  it('Uplink dialing the Python listener under another /p2p/ id fails with UnexpectedPeerError naming both ids', async () => {
    const python = await startPythonPeer({ mode: 'bare-secio-listen' })
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

    const err = await bareSecioDial(await identityKey('ed25519'), python.addr, false, other).then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'UnexpectedPeerError')
    expect(String((err as { expected?: unknown }).expected)).to.equal(other.toString())
    expect(String((err as { actual?: unknown }).actual)).to.equal(python.peerId)
    expect((err as Error).message).to.include(other.toString()).and.to.include(python.peerId)
    // Uplink stops before its Exchange: no secret on the Python side, no session
    const inbound = await python.waitForEvent(e => e.event === 'inbound')
    expect(inbound).to.include({ ok: false, bytes: 0 })
    expect((await python.secretStats()).handshakes).to.equal(0)
  })

  it('the Python dialer, told to expect another /p2p/ id, refuses the Uplink listener before its Exchange and names both ids', async () => {
    const uplinkKey = await identityKey('ed25519')
    const bare = await bareSecioEchoListener(uplinkKey, false)
    listener = bare.listener
    const python = await startPythonPeer({ mode: 'bare-secio-dial' })
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

    const result = await python.tryDialEcho(`${bare.addr}/p2p/${other.toString()}`, 1024)

    expect(result.ok).to.equal(false)
    // py-libp2p's own check (PeerMismatchException), right after the Propose
    expect(result.error).to.match(/^PeerMismatchException: /)
    expect(result.error).to.include(other.toString()).and.to.include(peerIdFromPrivateKey(uplinkKey).toString())
    expect(bare.sessions).to.have.lengthOf(0)
    expect((await python.secretStats()).handshakes).to.equal(0)
  })
})
