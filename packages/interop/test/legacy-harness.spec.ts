// Self-test of the legacy JS libp2p 0.29 / libp2p-secio 0.13.1 harness (legacy peer ⇄ legacy peer).
import { expect } from 'chai'
import { LegacyPeer } from './fixtures/legacy-peer.js'
import { sha256Hex, xorshift32Pattern } from './fixtures/patterns.js'
import type { LegacyKeyType } from './fixtures/legacy-peer.js'

const MiB = 1024 * 1024
const PREFIX: Record<LegacyKeyType, string> = { rsa: 'Qm', ed25519: '12D3KooW', secp256k1: '16Uiu2HA' } // then k or m: 02 or 03 compressed key

describe('legacy libp2p 0.29 harness', function () {
  this.timeout(30_000)

  afterEach(async () => {
    await LegacyPeer.stopAll()
  })

  const pairs: Array<[LegacyKeyType, LegacyKeyType]> = [['rsa', 'ed25519'], ['ed25519', 'secp256k1'], ['secp256k1', 'rsa']]
  for (const [listenerKey, dialerKey] of pairs) {
    it(`node ⇄ node over secio: ${dialerKey} dials ${listenerKey}, 2 MiB echoed`, async () => {
      const [listener, dialer] = await Promise.all([
        LegacyPeer.start({ keyType: listenerKey, crypto: 'secio' }),
        LegacyPeer.start({ keyType: dialerKey, crypto: 'secio' })
      ])
      expect(listener.peerId.startsWith(PREFIX[listenerKey])).to.equal(true, listener.peerId)
      expect(dialer.peerId.startsWith(PREFIX[dialerKey])).to.equal(true, dialer.peerId)
      expect(listener.keyType).to.equal(listenerKey)
      const addr = listener.addrs[0]
      expect(addr).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)

      const result = await dialer.dialEcho(addr ?? '', 2 * MiB)
      const digest = sha256Hex(xorshift32Pattern(1, 2 * MiB))
      expect(result).to.include({ ok: true, bytes: 2 * MiB, remotePeer: listener.peerId, sha256: digest })

      const inbound = await listener.waitForEvent((e) => e.event === 'inbound', { timeoutMs: 5_000 })
      expect(inbound).to.include({ ok: true, bytes: 2 * MiB, remotePeer: dialer.peerId, protocol: '/echo/1.0.0', sha256: digest })

      await Promise.all([listener.stop(), dialer.stop()])
      expect([listener.exitCode, dialer.exitCode]).to.deep.equal([0, 0])
    })
  }

  it('node ⇄ node over the legacy /plaintext/2.0.0', async () => {
    const [listener, dialer] = await Promise.all([
      LegacyPeer.start({ crypto: 'plaintext' }),
      LegacyPeer.start({ crypto: 'plaintext' })
    ])
    const result = await dialer.dialEcho(listener.addrs[0] ?? '', 256 * 1024)
    expect(result).to.include({ ok: true, remotePeer: listener.peerId })
  })

  for (const mss of [false, true]) {
    it(`bare secio ${mss ? 'behind multistream-select' : 'on the raw socket'}: dial, 2 MiB echoed`, async () => {
      const [listener, dialer] = await Promise.all([
        LegacyPeer.start({ mode: 'bare-secio-listen', keyType: 'rsa', mss }),
        LegacyPeer.start({ mode: 'bare-secio-dial', keyType: 'secp256k1', mss })
      ])
      expect(dialer.addrs).to.deep.equal([])
      const result = await dialer.dialEcho(listener.addrs[0] ?? '', 2 * MiB, { chunk: 100_000, seed: 7 })
      // the digests of the echo as the dialer received it and as the listener sent it, of bytes made here
      const digest = sha256Hex(xorshift32Pattern(7, 2 * MiB))
      expect(result).to.include({ ok: true, bytes: 2 * MiB, remotePeer: listener.peerId, sha256: digest })

      const inbound = await listener.waitForEvent((e) => e.event === 'inbound', { timeoutMs: 5_000 })
      expect(inbound).to.include({ ok: true, bytes: 2 * MiB, remotePeer: dialer.peerId, sha256: digest })
    })
  }

  it('reports failures as results: wrong expected peer id, nothing listening', async () => {
    const [listener, dialer, other] = await Promise.all([
      LegacyPeer.start({ mode: 'bare-secio-listen' }),
      LegacyPeer.start({ mode: 'bare-secio-dial' }),
      LegacyPeer.start({ mode: 'bare-secio-dial' })
    ])
    const wrongPeer = (listener.addrs[0] ?? '').replace(/\/p2p\/.*$/, `/p2p/${other.peerId}`)
    const wrong = await dialer.tryDialEcho(wrongPeer, 1024)
    expect(wrong.ok).to.equal(false)
    expect(wrong.error).to.match(/ERR_UNEXPECTED_PEER/)

    await other.stop()
    const refused = await dialer.tryDialEcho('/ip4/127.0.0.1/tcp/1', 1024)
    expect(refused.ok).to.equal(false)
    expect(refused.error).to.match(/ECONNREFUSED/)
  })

  it('restarts an identity from the private key it reported', async () => {
    const first = await LegacyPeer.start({ keyType: 'secp256k1', mode: 'bare-secio-dial' })
    const again = await LegacyPeer.start({ privateKey: first.privateKey, mode: 'bare-secio-dial' })
    expect(again.peerId).to.equal(first.peerId)
    expect(again.keyType).to.equal('secp256k1')
  })

  it('kills a peer that does not start in time, and honours an abort', async () => {
    const failure = async (start: Promise<LegacyPeer>): Promise<string> => {
      try {
        await start
      } catch (err) {
        return String(err)
      }
      return 'started'
    }
    expect(await failure(LegacyPeer.start({ readyTimeoutMs: 1 }))).to.match(/did not become ready/)
    expect(await failure(LegacyPeer.start({ signal: AbortSignal.abort(new Error('test abort')) }))).to.match(/test abort/)
  })

  it('stop() ends the process with exit code 0; nothing is left running', async () => {
    const peers = await Promise.all([LegacyPeer.start(), LegacyPeer.start({ mode: 'bare-secio-listen' })])
    await Promise.all(peers.map(async (peer) => { await peer.stop() }))
    for (const peer of peers) {
      expect(peer.exitCode).to.equal(0)
      expect(() => process.kill(peer.pid, 0)).to.throw(/ESRCH/)
    }
  })
})
