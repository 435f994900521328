import { yamux } from '@chainsafe/libp2p-yamux'
import { mplex } from '@libp2p/mplex'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { expect } from 'chai'
import { createUpgrader } from '../src/index.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import type { UpgradeProgressEvents } from '../src/index.js'
import type { Identity } from './fixtures/raw-pair.js'

/** Every event an upgrade reported, with the PeerIds as strings so they compare. */
function recorder (): { events: Array<{ type: string, detail?: any }>, onProgress: (evt: UpgradeProgressEvents) => void } {
  const events: Array<{ type: string, detail?: any }> = []
  return {
    events,
    onProgress: (evt) => {
      const detail = evt.detail == null ? undefined : JSON.parse(JSON.stringify(evt.detail))
      events.push(detail == null ? { type: evt.type } : { type: evt.type, detail })
    }
  }
}

describe('upgrade progress events (onProgress)', () => {
  let alice: Identity
  let bob: Identity

  before(async () => {
    alice = await identity()
    bob = await identity()
  })

  it('reports each stage as it begins and what it agreed on, in pipeline order, on both sides', async () => {
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [mplex(), yamux()] })
    const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const { outbound, inbound } = rawPair(bob.peerId)
    const out = recorder()
    const into = recorder()
    const signal = AbortSignal.timeout(10_000)

    const [connection] = await Promise.all([
      dialer.upgradeOutbound(outbound, { signal, onProgress: out.onProgress }),
      listener.upgradeInbound(inbound, { signal, onProgress: into.onProgress })
    ])

    expect(out.events).to.deep.equal([
      { type: 'upgrader:encrypt-outbound-connection' },
      { type: 'upgrader:crypto-negotiated', detail: { protocols: ['/plaintext/2.0.0'], role: 'propose', protocol: '/plaintext/2.0.0', by: 'multistream-select' } },
      { type: 'upgrader:secured', detail: { encryption: '/plaintext/2.0.0', remotePeer: bob.peerId.toString() } },
      { type: 'upgrader:peer-verified', detail: { expected: bob.peerId.toString(), actual: bob.peerId.toString() } },
      { type: 'upgrader:multiplex-outbound-connection' },
      { type: 'upgrader:muxer-negotiated', detail: { protocols: ['/mplex/6.7.0', '/yamux/1.0.0'], role: 'propose', protocol: '/yamux/1.0.0', by: 'multistream-select' } }
    ])
    expect(into.events.map(evt => evt.type)).to.deep.equal([
      'upgrader:encrypt-inbound-connection', 'upgrader:crypto-negotiated', 'upgrader:secured',
      'upgrader:peer-verified', 'upgrader:multiplex-inbound-connection', 'upgrader:muxer-negotiated'
    ])
    expect(into.events[3]?.detail).to.deep.equal({ actual: alice.peerId.toString() })
    expect(into.events[5]?.detail).to.deep.equal({ protocols: ['/yamux/1.0.0'], role: 'answer', protocol: '/yamux/1.0.0', by: 'multistream-select' })

    await connection.close()
  })

  it('passes its listener to the crypto channel: SECIO\'s proposals (the remote\'s lists as it sent them) and key confirmation arrive between the negotiation and secured', async () => {
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [secio()], streamMuxers: [yamux()] })
    const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [secio({ exchanges: ['P-384'], ciphers: ['AES-128'], hashes: ['SHA512'] })], streamMuxers: [yamux()] })
    const { outbound, inbound } = rawPair(bob.peerId)
    const out = recorder()
    const signal = AbortSignal.timeout(10_000)

    const [connection] = await Promise.all([
      dialer.upgradeOutbound(outbound, { signal, onProgress: out.onProgress }),
      listener.upgradeInbound(inbound, { signal })
    ])

    expect(out.events.map(evt => evt.type)).to.deep.equal([
      'upgrader:encrypt-outbound-connection', 'upgrader:crypto-negotiated', 'secio:proposals', 'secio:keys-confirmed',
      'upgrader:secured', 'upgrader:peer-verified', 'upgrader:multiplex-outbound-connection', 'upgrader:muxer-negotiated'
    ])
    const proposals = out.events[2]?.detail
    expect(proposals).to.deep.include({
      local: { exchanges: ['P-256', 'P-384', 'P-521'], ciphers: ['AES-256', 'AES-128'], hashes: ['SHA256', 'SHA512'] },
      remote: { exchanges: ['P-384'], ciphers: ['AES-128'], hashes: ['SHA512'] },
      selected: { exchange: 'P-384', cipher: 'AES-128', hash: 'SHA512' },
      remoteMarked: true
    })
    expect(proposals.order).to.be.oneOf([1, -1])
    expect(out.events[3]?.detail).to.have.property('secretWidth', 'full')

    await connection.close()
  })

  it('stops reporting at the stage that failed: a wrong peer fails the handshake (the encrypter checks it) and nothing is reported after the negotiation', async () => {
    const mallory = await identity()
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const listener = createUpgrader({ privateKey: mallory.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const { outbound, inbound } = rawPair(bob.peerId)
    const out = recorder()
    const signal = AbortSignal.timeout(10_000)

    const [result] = await Promise.allSettled([
      dialer.upgradeOutbound(outbound, { signal, onProgress: out.onProgress }),
      listener.upgradeInbound(inbound, { signal })
    ])

    expect(result.status).to.equal('rejected')
    expect((result as PromiseRejectedResult).reason).to.have.property('name', 'UnexpectedPeerError')
    expect(out.events.map(evt => evt.type)).to.deep.equal([
      'upgrader:encrypt-outbound-connection', 'upgrader:crypto-negotiated'
    ])
  })

  it('a listener that throws is ignored: the upgrade still succeeds', async () => {
    const dialer = createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const listener = createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    const { outbound, inbound } = rawPair(bob.peerId)
    let calls = 0
    const signal = AbortSignal.timeout(10_000)

    const [connection] = await Promise.all([
      dialer.upgradeOutbound(outbound, { signal, onProgress: () => { calls++; throw new Error('a broken listener') } }),
      listener.upgradeInbound(inbound, { signal })
    ])

    expect(calls).to.equal(6)
    expect(connection.status).to.equal('open')
    await connection.close()
  })
})
