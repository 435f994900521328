// One-way bulk throughput over TCP loopback, crypto channels side by side in one run, plus the
// crypto limit of SECIO's cipher suite. Usage: node dist/src/throughput.js [MiB per run] [rounds]
// (or `pnpm run throughput -- 64 2`)
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { createNode } from '@uplink/core'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { positionalNumbers } from './arguments.js'
import { secioCryptoLimit } from './crypto-limit.js'
import type { EncrypterModule } from '@uplink/core'

const MiB = 1024 * 1024
const [mebibytes, rounds] = positionalNumbers(process.argv.slice(2), 'throughput', [
  { name: 'MiB per run', default: 256 },
  { name: 'rounds', default: 3 }
]) as [number, number]
const total = mebibytes * MiB
const chunk = new Uint8Array(256 * 1024)

async function megabytesPerSecond (crypto: () => EncrypterModule): Promise<number> {
  const options = () => ({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, modules: { transport: [tcp()], connection: { crypto: [crypto()], muxer: [yamux()] } } })
  const [sender, receiver] = await Promise.all([createNode(options()), createNode(options())])
  const received = Promise.withResolvers<number>()

  receiver.handle('/sink', async (stream) => {
    let bytes = 0
    for await (const data of stream) bytes += data.byteLength
    received.resolve(bytes)
  })

  try {
    const stream = await sender.dialProtocol(receiver.getMultiaddrs(), '/sink')
    const started = performance.now()

    for (let sent = 0; sent < total; sent += chunk.byteLength) {
      if (!stream.send(chunk)) await stream.onDrain()
    }

    await stream.close()
    const bytes = await received.promise
    if (bytes !== total) throw new Error(`received ${bytes} of ${total} bytes`)
    return bytes / 1e6 / ((performance.now() - started) / 1000)
  } finally {
    await Promise.all([sender.stop(), receiver.stop()])
  }
}

const channels: Record<string, () => EncrypterModule> = { plaintext: () => plaintext(), secio: () => secio(), noise: () => noise() }
const best: Record<string, number> = {}

// interleaved rounds, best of each: the machine is shared and noisy
for (let round = 0; round < rounds; round++) {
  for (const [name, crypto] of Object.entries(channels)) {
    best[name] = Math.max(best[name] ?? 0, await megabytesPerSecond(crypto))
  }
  best['crypto limit'] = Math.max(best['crypto limit'] ?? 0, secioCryptoLimit(total))
}

const rate = (name: string): number => best[name] ?? NaN
console.log(`${total / MiB} MiB one way over TCP loopback, + yamux, best of ${rounds} interleaved rounds`)
for (const [name, value] of Object.entries(best)) console.log(`${name.padEnd(14)} ${value.toFixed(0).padStart(6)} MB/s`)
console.log(`secio / plaintext   ${(rate('secio') / rate('plaintext')).toFixed(2)}`)
console.log(`secio / noise       ${(rate('secio') / rate('noise')).toFixed(2)}`)
console.log(`secio / crypto limit ${(rate('secio') / rate('crypto limit')).toFixed(2)}`)
