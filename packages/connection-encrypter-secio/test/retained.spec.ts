/**
 * What an open secured connection keeps of its handshake: nothing. Idle
 * connections are most of a node's connections, so whatever the handshake
 * leaves reachable from the secured stream is paid for the life of each one.
 * Observed with weak references to what the handshake made (the ephemeral key,
 * with its ECDH, and the shared secret): once both sides are secured, have
 * exchanged data and the encrypters are gone, a full collection frees them
 * while the connections stay open and keep working.
 */
import { expect } from 'chai'
import { generateEphemeral } from '../src/handshake/secret.js'
import { collected } from './fixtures/collect.js'
import { encrypter, handshake, peer } from './fixtures/peers.js'
import type { EphemeralKeyFactory } from '../src/handshake/secret.js'

async function echoed (from: { connection: any }, to: { connection: any }, text: string): Promise<string> {
  const received = new Promise<string>(resolve => {
    to.connection.addEventListener('message', (evt: any) => { resolve(Buffer.from(evt.data.subarray()).toString()) }, { once: true })
  })
  from.connection.send(Buffer.from(text))
  return received
}

describe('secio: what an open connection keeps of its handshake', function () {
  this.timeout(30_000)

  it('neither side keeps the ephemeral key nor the shared secret once secured', async () => {
    const refs: Array<WeakRef<object>> = []
    const recording: EphemeralKeyFactory = async (curve) => {
      const ephemeral = await generateEphemeral(curve)
      refs.push(new WeakRef(ephemeral))

      return {
        key: ephemeral.key,
        genSharedKey: async (theirs) => {
          const secret = await ephemeral.genSharedKey(theirs)
          refs.push(new WeakRef(secret))
          return secret
        },
        wipe: () => { ephemeral.wipe() }
      }
    }
    const [a, b] = await Promise.all([peer(), peer()])
    const { dialer, listener } = await handshake(encrypter(a, {}, { createEphemeral: recording }), encrypter(b, {}, { createEphemeral: recording }))

    expect(await echoed(dialer, listener, 'after the handshake')).to.equal('after the handshake')
    expect(refs).to.have.lengthOf(4)
    expect(await collected(refs), 'handshake objects freed while the connections are open').to.equal(refs.length)

    // still open and working: what was freed was not needed
    expect(await echoed(listener, dialer, 'still secured')).to.equal('still secured')
    await Promise.all([dialer.connection.close(), listener.connection.close()])
  })
})
