// Uplink's SECIO against the Rust SECIO from crates.io (libp2p-secio 0.26.0 on libp2p-core 0.26.0, its
// last release), built by the test run and started as a separate process: bare SECIO on the socket and
// behind multistream-select, each side dialing, each identity key type.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { DEFAULT_MAX_FRAME_LENGTH } from '@uplink/secio'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { frameMeter } from './fixtures/frame-meter.js'
import { IDENTITY_TYPES, identityKey, privateKeyBase64 } from './fixtures/identities.js'
import { digestEcho } from './fixtures/digest-echo.js'
import { sha256Hex, xorshift32Pattern } from './fixtures/patterns.js'
import { setUpRustPeer, startRustPeer } from './fixtures/rust-peer.js'
import { SecioPeer } from './fixtures/secio-peer.js'
import type { FrameMeter } from './fixtures/frame-meter.js'
import type { Listener } from '@libp2p/interface'

const MiB = 1024 * 1024
/** Several MiB, not a multiple of any frame size. */
const ECHO_BYTES = 4 * MiB + 4321
const LARGE_BYTES = 24 * MiB + 17
/** SHA256 wins in every pairing here (first in both lists): 32-byte MACs. */
const MAC = 32
/** Uplink never puts more than 8 MiB − 64 in a frame (room for a SHA512 MAC), whatever it is asked. */
const UPLINK_LARGEST_CHUNK = DEFAULT_MAX_FRAME_LENGTH - 64

/** The same listen address on another port: the meter's, in front of it. */
function viaPort (addr: string, port: number): string {
  return addr.replace(/\/tcp\/\d+/, `/tcp/${port}`)
}

function portOf (addr: string): number {
  return Number(/\/tcp\/(\d+)/.exec(addr)?.[1])
}

describe('live interop with the Rust SECIO (crates.io libp2p-secio 0.26.0)', function () {
  this.timeout(120_000)
  let listener: Listener | undefined
  let meter: FrameMeter | undefined

  before(async function () {
    await setUpRustPeer(this)
  })

  afterEach(async () => {
    await listener?.close()
    await meter?.close()
    listener = undefined
    meter = undefined
    await SecioPeer.stopAll()
  })

  for (const useMss of [false, true]) {
    const how = useMss ? 'behind multistream-select (apply_inbound / apply_outbound)' : 'on the raw socket (upgrade_inbound / upgrade_outbound)'

    describe(`SECIO ${how}`, () => {
      for (const keyType of IDENTITY_TYPES) {
        it(`Uplink (${keyType}) dials the Rust listener (${keyType}): 4 MiB echoed, the same digest on both sides`, async () => {
          const [uplinkKey, rustKey] = await Promise.all([identityKey(keyType), identityKey(keyType)])
          const rust = await startRustPeer({ mode: 'bare-secio-listen', mss: useMss, privateKey: privateKeyBase64(rustKey) })
          expect(rust.peerId).to.equal(peerIdFromPrivateKey(rustKey).toString())
          expect(rust.keyType).to.equal(keyType)

          const secured = await bareSecioDial(uplinkKey, rust.addr, useMss, peerIdFromString(rust.peerId))
          expect(secured.remotePeer.toString()).to.equal(rust.peerId)
          const echoed = await digestEcho(secured.connection, ECHO_BYTES, 64 * 1024)

          expect(echoed).to.include({ sent: ECHO_BYTES, received: ECHO_BYTES, intact: true })
          const inbound = await rust.waitForEvent(e => e.event === 'inbound')
          expect(inbound).to.include({ ok: true, bytes: ECHO_BYTES, sha256: echoed.sha256, remotePeer: peerIdFromPrivateKey(uplinkKey).toString() })
        })

        it(`the Rust dialer (${keyType}) reaches an Uplink listener (${keyType}): 4 MiB echoed, the digest of the bytes it sent`, async () => {
          const [uplinkKey, rustKey] = await Promise.all([identityKey(keyType), identityKey(keyType)])
          const bare = await bareSecioEchoListener(uplinkKey, useMss)
          listener = bare.listener
          const rust = await startRustPeer({ mode: 'bare-secio-dial', mss: useMss, privateKey: privateKeyBase64(rustKey) })
          const uplinkId = peerIdFromPrivateKey(uplinkKey).toString()

          const result = await rust.dialEcho(`${bare.addr}/p2p/${uplinkId}`, ECHO_BYTES, { seed: 7 })

          expect(result).to.include({ ok: true, bytes: ECHO_BYTES, remotePeer: uplinkId, sha256: sha256Hex(xorshift32Pattern(7, ECHO_BYTES)) })
          expect((await bare.sessions[0])?.remotePeer.toString()).to.equal(rust.peerId)
        })
      }

      it('frames of 8 MiB − 32 from Uplink come back as frames of the same size, the Rust echo\'s largest: 24 MiB echoed', async () => {
        const rust = await startRustPeer({ mode: 'bare-secio-listen', mss: useMss })
        meter = await frameMeter(portOf(rust.addr), { mss: useMss })
        const secured = await bareSecioDial(await identityKey('ed25519'), viaPort(rust.addr, meter.port), useMss,
          peerIdFromString(rust.peerId), { maxSendChunk: DEFAULT_MAX_FRAME_LENGTH })

        const echoed = await digestEcho(secured.connection, LARGE_BYTES, 8 * MiB)

        expect(echoed).to.include({ sent: LARGE_BYTES, received: LARGE_BYTES, intact: true })
        expect(await rust.waitForEvent(e => e.event === 'inbound')).to.include({ ok: true, sha256: echoed.sha256 })
        expect(meter.fromDialer.largest).to.equal(UPLINK_LARGEST_CHUNK + MAC)
        // libp2p-secio reads a whole frame at a time and each write is one frame
        expect(meter.fromListener.largest).to.equal(UPLINK_LARGEST_CHUNK + MAC)
      })

      it('the Rust dialer writes 8 MiB − 32 bytes at a time: frames of exactly 8 MiB, the most both sides accept; 24 MiB echoed', async () => {
        const uplinkKey = await identityKey('ed25519')
        const bare = await bareSecioEchoListener(uplinkKey, useMss)
        listener = bare.listener
        meter = await frameMeter(portOf(bare.addr), { mss: useMss })
        const rust = await startRustPeer({ mode: 'bare-secio-dial', mss: useMss })

        const result = await rust.dialEcho(`${viaPort(bare.addr, meter.port)}/p2p/${peerIdFromPrivateKey(uplinkKey).toString()}`,
          LARGE_BYTES, { chunk: DEFAULT_MAX_FRAME_LENGTH - MAC, timeoutMs: 100_000 })

        expect(result).to.include({ ok: true, bytes: LARGE_BYTES, sha256: sha256Hex(xorshift32Pattern(1, LARGE_BYTES)) })
        expect(meter.fromDialer.largest).to.equal(DEFAULT_MAX_FRAME_LENGTH)
        // 24 MiB in writes of 8 MiB − 32: three full frames and the rest
        expect(meter.fromDialer.lengths.filter(n => n === DEFAULT_MAX_FRAME_LENGTH)).to.have.lengthOf(3)
      })

      it('Uplink dialing the Rust listener under another /p2p/ id fails with UnexpectedPeerError naming both ids', async () => {
        const rust = await startRustPeer({ mode: 'bare-secio-listen', mss: useMss })
        const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

        const err = await bareSecioDial(await identityKey('ed25519'), rust.addr, useMss, other).then(() => undefined, (err: unknown) => err)

        expect(err).to.have.property('name', 'UnexpectedPeerError')
        expect(String((err as { expected?: unknown }).expected)).to.equal(other.toString())
        expect(String((err as { actual?: unknown }).actual)).to.equal(rust.peerId)
        expect((err as Error).message).to.include(other.toString()).and.to.include(rust.peerId)
        // Uplink stops before its Exchange: the Rust side's handshake fails, no session
        const inbound = await rust.waitForEvent(e => e.event === 'inbound')
        expect(inbound).to.include({ ok: false, bytes: 0 })
      })

      it('the Rust dialer, told to expect another /p2p/ id, refuses the Uplink listener and names both ids', async () => {
        const uplinkKey = await identityKey('ed25519')
        const bare = await bareSecioEchoListener(uplinkKey, useMss)
        listener = bare.listener
        const rust = await startRustPeer({ mode: 'bare-secio-dial', mss: useMss })
        const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

        const result = await rust.tryDialEcho(`${bare.addr}/p2p/${other.toString()}`, 1024)

        expect(result.ok).to.equal(false)
        // libp2p-secio itself checks no id (rust-libp2p's swarm did): the peer compares what the handshake returned
        expect(result.error).to.match(/^UnexpectedPeerError: /)
        expect(result.error).to.include(other.toString()).and.to.include(peerIdFromPrivateKey(uplinkKey).toString())
      })
    })
  }

  it('a Rust write of 8 MiB − 31 bytes is a frame of 8 MiB + 1: Uplink refuses it with InvalidFrameLengthError', async () => {
    const uplinkKey = await identityKey('ed25519')
    const bare = await bareSecioEchoListener(uplinkKey, false)
    listener = bare.listener
    const rust = await startRustPeer({ mode: 'bare-secio-dial' })

    const result = await rust.tryDialEcho(`${bare.addr}/p2p/${peerIdFromPrivateKey(uplinkKey).toString()}`, 16 * MiB,
      { chunk: DEFAULT_MAX_FRAME_LENGTH - MAC + 1 })

    expect(result.ok).to.equal(false)
    const err = await bare.sessions[0]?.then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('name', 'InvalidFrameLengthError')
  })
})
