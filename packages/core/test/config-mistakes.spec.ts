// The configuration mistakes a user makes, each named at construction (or at the call that takes
// the bad value) in the user's own terms: `err.name` says what kind of mistake, the message names
// the option as the user wrote it and what to write instead. One test per mistake.
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { Node, createNode, createUpgrader } from '../src/index.js'
import { ECHO, echoHandler } from './fixtures/echo.js'
import { identity } from './fixtures/raw-pair.js'
import type { NodeOptions, UpgraderInit } from '../src/index.js'

/** What `fn` threw (or rejected with); fails the test when it did not throw. */
async function thrownBy (fn: () => unknown): Promise<Error & { cause?: unknown }> {
  try {
    await fn()
  } catch (err: any) {
    return err
  }

  throw new Error('expected an error, nothing was thrown')
}

async function expectMistake (fn: () => unknown, name: string, ...hints: string[]): Promise<Error & { cause?: unknown }> {
  const err = await thrownBy(fn)
  expect(err.name, err.stack).to.equal(name)

  for (const hint of hints) {
    expect(err.message).to.include(hint)
  }

  return err
}

/** A node config as the user writes it in plain JavaScript: no types to catch the mistake. */
function nodeWith (options: unknown): () => Node {
  return () => new Node(options as NodeOptions)
}

function upgraderWith (init: unknown): () => unknown {
  return () => createUpgrader(init as UpgraderInit)
}

const valid = (): NodeOptions => ({ modules: { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [yamux()] } } })

describe('configuration mistakes are named at construction', () => {
  describe('new Node(options) / createNode(options)', () => {
    it('no crypto channel', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connection: { muxer: [yamux()] } } }),
        'InvalidParametersError', 'modules.connection.crypto must list at least one crypto channel')
    })

    it('an empty crypto list, at construction rather than at the first dial', async () => {
      await expectMistake(async () => createNode({ modules: { transport: [tcp()], connection: { crypto: [] } } }),
        'InvalidParametersError', 'modules.connection.crypto must list at least one crypto channel')
    })

    it('no modules.connection', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()] } }),
        'InvalidParametersError', 'modules.connection', 'crypto')
    })

    it('no modules at all', async () => {
      await expectMistake(nodeWith({}), 'InvalidParametersError', 'modules', 'transport', 'crypto')
      await expectMistake(nodeWith(undefined), 'InvalidParametersError', 'modules')
    })

    it('the js-libp2p 0.2x key streamMuxer', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], streamMuxer: [yamux()], connection: { crypto: [plaintext()] } } }),
        'InvalidParametersError', 'modules.streamMuxer is the js-libp2p 0.2x name: use modules.connection.muxer')
    })

    it('the js-libp2p 0.2x key connEncryption', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connEncryption: [plaintext()] } }),
        'InvalidParametersError', 'modules.connEncryption is the js-libp2p 0.2x name: use modules.connection.crypto')
    })

    it('modules.transports instead of modules.transport', async () => {
      await expectMistake(nodeWith({ modules: { transports: [tcp()], connection: { crypto: [plaintext()] } } }),
        'InvalidParametersError', 'modules.transports', 'use modules.transport')
    })

    it('no transport', async () => {
      await expectMistake(nodeWith({ modules: { connection: { crypto: [plaintext()] } } }),
        'InvalidParametersError', 'modules.transport must list at least one transport')
    })

    it('crypto and muxer directly under modules (the old @uplink/tcp README)', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], crypto: [plaintext()], muxer: [yamux()] } }),
        'InvalidParametersError', 'modules.crypto belongs under modules.connection: use modules.connection.crypto')
    })

    it('the createLibp2p names at the top level', async () => {
      await expectMistake(nodeWith({ transports: [tcp()], connectionEncrypters: [plaintext()], streamMuxers: [yamux()] }),
        'InvalidParametersError', 'transports is the js-libp2p createLibp2p option', 'modules.transport')
      await expectMistake(nodeWith({ ...valid(), connectionEncrypters: [plaintext()] }),
        'InvalidParametersError', 'connectionEncrypters', 'modules.connection.crypto')
    })

    it('crypto under the top-level connection (which holds the timeouts)', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()] }, connection: { crypto: [plaintext()] } }),
        'InvalidParametersError', 'connection.crypto belongs under modules: use modules.connection.crypto')
    })

    it('modules js-libp2p has and Uplink does not', async () => {
      await expectMistake(nodeWith({ modules: { ...valid().modules, peerDiscovery: [] } }),
        'InvalidParametersError', 'modules.peerDiscovery is not supported', 'transport and connection')
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connection: { crypto: [plaintext()], dht: {} } } }),
        'InvalidParametersError', 'modules.connection.dht is not supported', 'crypto and muxer')
    })

    it('a crypto list that is not a list', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connection: { crypto: plaintext() } } }),
        'InvalidParametersError', 'modules.connection.crypto must be an array', 'got a function')
    })

    it('a module factory that was not called', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connection: { crypto: [plaintext] } } }),
        'InvalidParametersError', 'modules.connection.crypto[0]', 'write plaintext(), not plaintext')
    })

    it('a crypto channel in the muxer list', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [plaintext()] } } }),
        'InvalidParametersError', 'modules.connection.muxer[0]', 'a crypto channel (/plaintext/2.0.0), not a stream muxer')
    })

    it('a module given by name', async () => {
      await expectMistake(nodeWith({ modules: { transport: [tcp()], connection: { crypto: ['secio'] } } }),
        'InvalidParametersError', 'modules.connection.crypto[0] is the string "secio"', 'a crypto channel factory such as secio()')
    })

    it('a js-libp2p 0.2x module class', async () => {
      class TCP {}
      await expectMistake(nodeWith({ modules: { transport: [TCP], connection: { crypto: [plaintext()] } } }),
        'InvalidParametersError', 'modules.transport[0] is a class (TCP)', 'factories such as tcp()')
    })

    it('peerId instead of privateKey', async () => {
      const { peerId } = await identity()
      await expectMistake(nodeWith({ ...valid(), peerId }), 'InvalidParametersError', 'peerId is not a Node option', 'privateKey')
    })

    it('a PeerId given as privateKey', async () => {
      const { peerId } = await identity()
      await expectMistake(nodeWith({ ...valid(), privateKey: peerId }), 'InvalidParametersError', 'privateKey is a PeerId')
    })

    it('a listen address that is not a multiaddr, with the parser\'s error as cause', async () => {
      const err = await expectMistake(nodeWith({ ...valid(), addresses: { listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/1.2.3/tcp/0'] } }),
        'InvalidMultiaddrError', 'addresses.listen[1]', '"/ip4/1.2.3/tcp/0" is not a multiaddr')
      expect(err.cause).to.have.property('name', 'ValidationError')
      expect((err.cause as Error).message).to.include('1.2.3')
    })

    it('js-libp2p address options Uplink does not have', async () => {
      await expectMistake(nodeWith({ ...valid(), addresses: { announce: ['/dns4/example.com/tcp/4001'] } }),
        'InvalidParametersError', 'addresses.announce is not supported')
    })

    it('a dial timeout that is not a positive number', async () => {
      await expectMistake(nodeWith({ ...valid(), dialTimeout: 'fast' }), 'InvalidParametersError', 'dialTimeout must be a positive number of milliseconds')
      await expectMistake(nodeWith({ ...valid(), dialTimeout: 0 }), 'InvalidParametersError', 'dialTimeout must be a positive number of milliseconds')
    })

    it('a timeout beyond what a Node timer can wait (it would fire at once)', async () => {
      await expectMistake(nodeWith({ ...valid(), connection: { upgradeTimeout: 30 * 24 * 3600 * 1000 } }),
        'InvalidParametersError', 'connection.upgradeTimeout', 'Infinity')
    })
  })

  describe('createUpgrader(init)', () => {
    it('no connectionEncrypters', async () => {
      const { privateKey } = await identity()
      await expectMistake(upgraderWith({ privateKey }), 'InvalidParametersError', 'connectionEncrypters must list at least one crypto channel')
    })

    it('empty connectionEncrypters', async () => {
      const { privateKey } = await identity()
      await expectMistake(upgraderWith({ privateKey, connectionEncrypters: [] }), 'InvalidParametersError', 'connectionEncrypters must list at least one crypto channel')
    })

    it('connectionEncrypters that are not functions or encrypters', async () => {
      const { privateKey } = await identity()
      await expectMistake(upgraderWith({ privateKey, connectionEncrypters: [plaintext(), 42] }), 'InvalidParametersError', 'connectionEncrypters[1] is the number 42')
      await expectMistake(upgraderWith({ privateKey, connectionEncrypters: [{ protocol: '/x' }] }), 'InvalidParametersError', 'connectionEncrypters[0]', 'not a crypto channel')
    })

    it('a factory that was not called', async () => {
      const { privateKey } = await identity()
      await expectMistake(upgraderWith({ privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux] }),
        'InvalidParametersError', 'streamMuxers[0]', 'write yamux(), not yamux')
    })

    it('no privateKey', async () => {
      await expectMistake(upgraderWith({ connectionEncrypters: [plaintext()] }), 'InvalidParametersError', 'privateKey is missing', 'generateKeyPair')
    })

    it('the option names of the design notes and of js-libp2p 0.2x', async () => {
      const { privateKey } = await identity()
      await expectMistake(upgraderWith({ privateKey, encrypters: [plaintext()] }), 'InvalidParametersError', 'encrypters is not a createUpgrader option: use connectionEncrypters')
      await expectMistake(upgraderWith({ privateKey, connectionEncrypters: [plaintext()], muxers: [yamux()] }), 'InvalidParametersError', 'use streamMuxers')
    })

    it('a timeout that is not a number', async () => {
      const { privateKey } = await identity()
      await expectMistake(upgraderWith({ privateKey, connectionEncrypters: [plaintext()], upgradeTimeout: Number.NaN }), 'InvalidParametersError', 'upgradeTimeout must be a positive number of milliseconds')
    })
  })

  describe('addresses and PeerIds given to dial, dialProtocol and hangUp', () => {
    let nodes: Node[] = []

    async function started (): Promise<Node> {
      const node = await createNode({ ...valid(), addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] } })
      nodes.push(node)
      return node
    }

    afterEach(async () => {
      await Promise.all(nodes.map(async node => node.stop()))
      nodes = []
    })

    it('strings, alone or in arrays, are taken wherever multiaddrs are', async () => {
      const [a, b] = await Promise.all([started(), started()])
      b.handle(ECHO, echoHandler)
      const addr = String(b.getMultiaddrs()[0])

      const connection = await a.dial([addr])
      expect(connection.remotePeer.equals(b.peerId)).to.equal(true)

      const stream = await a.dialProtocol([addr], ECHO)
      await stream.close()

      await a.hangUp(addr)
      expect(a.getConnections(b.peerId)).to.have.lengthOf(0)

      await a.dial(addr)
      await a.hangUp(b.peerId.toString())
      expect(a.getConnections(b.peerId)).to.have.lengthOf(0)
    })

    it('addresses.listen takes a Multiaddr and a single string', async () => {
      const one = await createNode({ ...valid(), addresses: { listen: [multiaddr('/ip4/127.0.0.1/tcp/0')] } })
      nodes.push(one)
      const two = await createNode({ ...valid(), addresses: { listen: '/ip4/127.0.0.1/tcp/0' } })
      nodes.push(two)
      expect(one.getMultiaddrs()).to.have.lengthOf(1)
      expect(two.getMultiaddrs()).to.have.lengthOf(1)
    })

    it('a string that is not a multiaddr', async () => {
      const a = await started()
      const err = await expectMistake(async () => a.dial(['/ip4/127.0.0/tcp/1']), 'InvalidMultiaddrError', 'dial', '"/ip4/127.0.0/tcp/1" is not a multiaddr')
      expect(err.cause).to.have.property('name', 'ValidationError')
      expect((err.cause as Error).message).to.include('127.0.0')
    })

    it('something that is neither a string nor a multiaddr', async () => {
      const a = await started()
      await expectMistake(async () => a.dial(42 as any), 'InvalidParametersError', 'dial', 'the number 42', 'a multiaddr or a string')
      await expectMistake(async () => a.dialProtocol([{}] as any, ECHO), 'InvalidParametersError', 'dial[0]')
    })

    it('a /p2p/ component that is not a PeerId, with the decoder\'s error as cause', async () => {
      const a = await started()
      const err = await expectMistake(async () => a.dial('/ip4/127.0.0.1/tcp/1/p2p/QmNotAValidIdl0'), 'InvalidPeerIdError', '/p2p/QmNotAValidIdl0', 'not a valid PeerId')
      expect(err.cause).to.be.an('error')
    })

    it('hangUp with something that is not a peer', async () => {
      const a = await started()
      await expectMistake(async () => a.hangUp('/ip4/127.0.0.1/tcp/1/p2p/xyz'), 'InvalidPeerIdError', '/p2p/xyz')
      await expectMistake(async () => a.hangUp('not-a-peer'), 'InvalidPeerIdError', '"not-a-peer"')
      await expectMistake(async () => a.hangUp(42 as any), 'InvalidParametersError', 'hangUp', 'PeerId')
    })
  })
})

describe('inbound upgrade limits in the options', () => {
  it('a limit that is not a whole positive number, or an unknown limit, is named', async () => {
    const { privateKey } = await identity()

    expect(() => createUpgrader({ privateKey, connectionEncrypters: [plaintext()], inboundUpgradeLimits: { maxPending: 0 } }))
      .to.throw(/inboundUpgradeLimits.maxPending must be a whole number/).with.property('name', 'InvalidParametersError')
    expect(() => createUpgrader({ privateKey, connectionEncrypters: [plaintext()], inboundUpgradeLimits: { maxPendng: 3 } as any }))
      .to.throw(/inboundUpgradeLimits.maxPendng is not a limit/)
  })
})
