import { randomBytes } from 'node:crypto'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { expect } from 'chai'
import { DEFAULT_PREFERENCES } from '../src/handshake/algorithms.js'
import { createExchange, readExchange } from '../src/handshake/exchange.js'
import { createProposal, readProposal } from '../src/handshake/proposal.js'
import { generateEphemeral } from '../src/handshake/secret.js'
import { FrameDecoder } from '../src/framing/frame-decoder.js'
import type { PrivateKey } from '@libp2p/interface'

// Random and mutated handshake messages through the pure parsers: each either parses or throws
// one of SECIO's named errors, never a TypeError, RangeError or a crash.
const NAMED = ['InvalidProposeError', 'InvalidExchangeError', 'InvalidFrameLengthError']
const ROUNDS = 2_000

function mutate (bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes)
  const kind = Math.floor(Math.random() * 4)

  if (kind === 0 && copy.byteLength > 0) {
    const at = Math.floor(Math.random() * copy.byteLength)
    copy[at] = (copy[at] ?? 0) ^ (1 << Math.floor(Math.random() * 8))
    return copy
  }

  if (kind === 1) return copy.subarray(0, Math.floor(Math.random() * copy.byteLength))
  if (kind === 2) return Uint8Array.from([...copy, ...randomBytes(1 + Math.floor(Math.random() * 16))])
  return randomBytes(Math.floor(Math.random() * 300))
}

function outcome (parse: () => unknown): string {
  try {
    parse()
    return 'parsed'
  } catch (err: any) {
    return err.name
  }
}

describe('mutated handshake messages', () => {
  let privateKey: PrivateKey
  let propose: Uint8Array
  let exchange: Uint8Array

  before(async () => {
    privateKey = await generateKeyPair('secp256k1')
    const local = createProposal(publicKeyToProtobuf(privateKey.publicKey), randomBytes(16), DEFAULT_PREFERENCES)
    const remote = readProposal(createProposal(publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey), randomBytes(16), DEFAULT_PREFERENCES).bytes)
    propose = local.bytes
    exchange = await createExchange(privateKey, local, remote, (await generateEphemeral('P-256')).key)
  })

  it(`${ROUNDS} mutated Proposes parse or fail with InvalidProposeError`, () => {
    const seen = new Set<string>()
    for (let i = 0; i < ROUNDS; i++) seen.add(outcome(() => readProposal(mutate(propose))))

    expect([...seen].filter(name => name !== 'parsed' && !NAMED.includes(name))).to.deep.equal([])
    expect(seen.has('InvalidProposeError')).to.equal(true)
  })

  it(`${ROUNDS} mutated Exchanges parse or fail with InvalidExchangeError`, () => {
    const seen = new Set<string>()
    for (let i = 0; i < ROUNDS; i++) seen.add(outcome(() => readExchange(mutate(exchange), 'P-256')))

    expect([...seen].filter(name => name !== 'parsed' && !NAMED.includes(name))).to.deep.equal([])
    expect(seen.has('InvalidExchangeError')).to.equal(true)
  })

  it('random bytes cut at random points never make the frame decoder buffer past one frame', () => {
    for (let i = 0; i < 200; i++) {
      const decoder = new FrameDecoder({ min: 32, max: 64 * 1024 })
      const stream = randomBytes(4096)
      let failure = 'none'

      for (let offset = 0; offset < stream.byteLength && failure === 'none';) {
        const size = 1 + Math.floor(Math.random() * 700)
        failure = decoder.push(stream.subarray(offset, offset + size)).error?.name ?? 'none'
        offset += size
        expect(decoder.pending).to.be.at.most(64 * 1024 + 4 + 700)
      }

      expect(['none', 'InvalidFrameLengthError']).to.include(failure)
    }
  })
})
