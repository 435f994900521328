// The first cause wins: when a bad first data frame arrives in the same read as the SECIO nonce frame,
// the listener's upgrade fails with the SECIO error as its cause, not the muxer negotiation's
// unexpected end that follows from it.
import { yamux } from '@chainsafe/libp2p-yamux'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { Node } from '../src/index.js'
import { causeChain } from './fixtures/proxied-pair.js'
import { identity } from './fixtures/raw-pair.js'
import { tamperProxy, until } from './fixtures/tamper-proxy.js'
import type { EncrypterModule } from '../src/index.js'

/** `/multistream/1.0.0\n` and `/secio/1.0.0\n`, each varint-length-prefixed, as the dialer writes them. */
const MSS_CRYPTO_PROPOSAL = 1 + 19 + 1 + 13

/**
 * Rewrites the dialer's bytes once SECIO framing starts: frames 1 and 2 (Propose, Exchange) pass,
 * frame 3 (the nonce echo) is held until frame 4 (the first data frame, the muxer proposal) is
 * complete, then both leave in one write with frame 4 spoiled.
 */
function spoilFirstDataFrame (spoil: (frame: Buffer) => Buffer): (chunk: Buffer) => Buffer {
  let pending = Buffer.alloc(0)
  let skipped = 0
  let frames = 0
  let held: Buffer[] = []
  let done = false

  return (chunk) => {
    if (done) return chunk
    const out: Buffer[] = []

    if (skipped < MSS_CRYPTO_PROPOSAL) {
      const take = Math.min(MSS_CRYPTO_PROPOSAL - skipped, chunk.byteLength)
      out.push(chunk.subarray(0, take))
      skipped += take
      chunk = chunk.subarray(take)
    }

    pending = Buffer.concat([pending, chunk])

    while (!done && pending.byteLength >= 4 && pending.byteLength >= 4 + pending.readUInt32BE(0)) {
      const frame = pending.subarray(0, 4 + pending.readUInt32BE(0))
      pending = pending.subarray(frame.byteLength)
      frames++

      if (frames < 3) {
        out.push(frame)
      } else if (frames === 3) {
        held = [frame]
      } else {
        out.push(...held, spoil(Buffer.from(frame)), pending)
        done = true
      }
    }

    return Buffer.concat(out)
  }
}

async function listenerUpgradeError (spoil: (frame: Buffer) => Buffer): Promise<Error> {
  const [a, b] = await Promise.all([identity(), identity()])
  const modules = { transport: [tcp()], connection: { crypto: [secio() as EncrypterModule], muxer: [yamux()] } }
  const listener = new Node({ privateKey: b.privateKey, addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, modules })
  const dialer = new Node({ privateKey: a.privateKey, modules })
  const errors: Error[] = []
  const upgrader = listener.upgrader
  const upgradeInbound = upgrader.upgradeInbound.bind(upgrader)
  upgrader.upgradeInbound = async (maConn, opts) => upgradeInbound(maConn, opts).catch((err: Error) => {
    errors.push(err)
    throw err
  })
  await Promise.all([listener.start(), dialer.start()])
  const [addr] = listener.getMultiaddrs()
  if (addr == null) throw new Error('no listen address')
  const proxy = await tamperProxy(addr)
  proxy.rewrite('toListener', spoilFirstDataFrame(spoil))

  try {
    await dialer.dial(proxy.addr, { signal: AbortSignal.timeout(5_000) }).catch(() => {})
    await until(() => errors.length > 0, "the listener's upgrade to fail")
    return errors[0] as Error
  } finally {
    await Promise.all([dialer.stop(), listener.stop()])
    await proxy.close()
  }
}

describe('an upgrade error carries the first real reason', () => {
  it('a hostile length in the first data frame: MuxerUnavailableError caused by InvalidFrameLengthError', async () => {
    const err = await listenerUpgradeError((frame) => {
      frame.writeUInt32BE(0xFFFFFFFF, 0)
      return frame
    })

    expect(err).to.have.property('name', 'MuxerUnavailableError')
    expect(err).to.have.property('stage', 'negotiate-muxer')
    expect(err.cause).to.have.property('name', 'InvalidFrameLengthError')
  })

  it('a tampered first data frame: MuxerUnavailableError caused by MacMismatchError', async () => {
    const err = await listenerUpgradeError((frame) => {
      frame.writeUInt8(frame.readUInt8(frame.byteLength - 1) ^ 0xff, frame.byteLength - 1)
      return frame
    })

    expect(err).to.have.property('name', 'MuxerUnavailableError')
    expect(causeChain(err).map(e => e.name)).to.deep.equal(['MuxerUnavailableError', 'MacMismatchError'])
  })
})
