// Who dialed is not who proposes: an outbound upgrade verifies the dialed /p2p/ id whichever side
// multistream-select gives us (initiator: false is the hole-punching role), with every encrypter.
import { yamux } from '@chainsafe/libp2p-yamux'
import { expect } from 'chai'
import { UnexpectedPeerError as InterfaceUnexpectedPeerError } from '@libp2p/interface'
import { UnexpectedPeerError, createUpgrader } from '../src/index.js'
import { ENCRYPTERS } from './fixtures/encrypters.js'
import { identity, rawPair } from './fixtures/raw-pair.js'
import type { UplinkUpgrader } from '../src/index.js'
import type { Identity } from './fixtures/raw-pair.js'
import type { EncrypterModule } from '../src/index.js'

const ROLES = [
  { name: 'dialer proposes (initiator: true)', dialerInitiator: undefined, listenerInitiator: undefined },
  { name: 'dialer answers (initiator: false, as in a hole punch)', dialerInitiator: false, listenerInitiator: true }
] as const

function upgrader (id: Identity, encrypter: EncrypterModule): UplinkUpgrader {
  return createUpgrader({ privateKey: id.privateKey, connectionEncrypters: [encrypter], streamMuxers: [yamux()] })
}

describe('the dialed PeerId is verified in every negotiation role', () => {
  let alice: Identity
  let bob: Identity
  let carol: Identity

  before(async () => {
    [alice, bob, carol] = await Promise.all([identity(), identity(), identity()])
  })

  for (const { name: encrypterName, module, namesActualPeer } of ENCRYPTERS) {
    for (const role of ROLES) {
      describe(`${encrypterName}, ${role.name}`, () => {
        it('dialing /p2p/<carol> and being answered by bob fails with UnexpectedPeerError naming both', async () => {
          const { outbound, inbound } = rawPair(carol.peerId)
          const signal = AbortSignal.timeout(10_000)
          const [dialed] = await Promise.allSettled([
            upgrader(alice, module()).upgradeOutbound(outbound, { signal, initiator: role.dialerInitiator }),
            upgrader(bob, module()).upgradeInbound(inbound, { signal, initiator: role.listenerInitiator })
          ])

          expect(dialed.status).to.equal('rejected')
          const err = (dialed as PromiseRejectedResult).reason
          expect(err).to.have.property('name', 'UnexpectedPeerError')
          // one class everywhere: core's export is the interface's, and the crypto channel's cause is one too
          expect(UnexpectedPeerError).to.equal(InterfaceUnexpectedPeerError)
          expect(err).to.be.instanceOf(UnexpectedPeerError)
          if (err.cause != null) expect(err.cause).to.be.instanceOf(UnexpectedPeerError)
          expect(err).to.have.property('stage', 'verify-peer')
          expect(err.expected?.equals(carol.peerId)).to.equal(true)
          expect(err.message).to.include(carol.peerId.toString())

          if (namesActualPeer) {
            expect(err.actual?.equals(bob.peerId)).to.equal(true)
            expect(err.message).to.include(bob.peerId.toString())
          }
          expect(outbound.status).to.not.equal('open')
        })

        it('dialing /p2p/<bob> and being answered by bob gives an outbound connection to bob', async () => {
          const { outbound, inbound } = rawPair(bob.peerId)
          const signal = AbortSignal.timeout(10_000)
          const listener = upgrader(bob, module())
          const [connection] = await Promise.all([
            upgrader(alice, module()).upgradeOutbound(outbound, { signal, initiator: role.dialerInitiator }),
            listener.upgradeInbound(inbound, { signal, initiator: role.listenerInitiator })
          ])

          expect(connection.direction).to.equal('outbound')
          expect(connection.remotePeer.equals(bob.peerId)).to.equal(true)
          await connection.close()
        })
      })
    }
  }
})
