// One-way bulk throughput between two processes over TCP loopback, for the SECIO data path.
//
//   node bench/channel.mjs [--root DIR] [--stack channel|tcp|secio-yamux|noise-yamux|plain-yamux]
//                          [--mib 1024] [--write 262144] [--send-chunk N] [--limit-mib 256]
//
// --root is a built checkout of this repository (default: the one this file is in), so one
// script can measure two checkouts side by side. `channel` is a bare secured connection (TCP,
// then SECIO, no muxer); `tcp` the same raw connection with no crypto at all (the floor of what
// the transport costs); the `*-yamux` stacks are two Uplink nodes with yamux. The parent sends,
// a child process receives and checks every byte against the same pseudo-random pattern; the
// time runs from the first send to the child's report of the last byte. The same run also
// measures SECIO's seal on one core (AES-256-CTR + HMAC-SHA256, 64 KiB frames, a fresh HMAC per
// frame), the limit the channel is judged by. Prints one JSON line.
import { Buffer } from 'node:buffer'
import { fork } from 'node:child_process'
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { connect, createServer } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
/* global AbortSignal */

const MiB = 1024 * 1024
const here = dirname(fileURLToPath(import.meta.url))
const { values: opts } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(here, '../../..') },
    stack: { type: 'string', default: 'channel' },
    mib: { type: 'string', default: '1024' },
    write: { type: 'string', default: String(256 * 1024) },
    'send-chunk': { type: 'string' },
    'limit-mib': { type: 'string', default: '256' },
    role: { type: 'string', default: 'sender' }
  }
})
const total = Number(opts.mib) * MiB
const writeSize = Number(opts.write)
const secioInit = opts['send-chunk'] == null ? {} : { maxSendChunk: Number(opts['send-chunk']) }

const load = async (path) => import(pathToFileURL(resolve(opts.root, path)).href)
const packages = {
  secio: () => load('packages/connection-encrypter-secio/dist/src/index.js'),
  tcp: () => load('packages/transport-tcp/dist/src/index.js'),
  core: () => load('packages/core/dist/src/index.js'),
  plaintext: () => load('packages/connection-encrypter-plaintext/dist/src/index.js'),
  yamux: () => load('packages/benchmarks/node_modules/@chainsafe/libp2p-yamux/dist/src/index.js'),
  noise: () => load('packages/benchmarks/node_modules/@chainsafe/libp2p-noise/dist/src/index.js'),
  keys: () => load('packages/connection-encrypter-secio/node_modules/@libp2p/crypto/dist/src/keys/index.js'),
  logger: () => load('packages/connection-encrypter-secio/node_modules/@libp2p/logger/dist/src/index.js')
}

/**
 * Pseudo-random bytes both processes derive alike; the stream repeats them. Small enough to
 * stay in cache (checking costs a memcmp), and of a prime length, so a chunk delivered out of
 * place (shifted by any whole number of KiB) cannot match.
 */
const PATTERN_LENGTH = 65_521
function pattern () {
  const block = Buffer.alloc(PATTERN_LENGTH + 32)
  for (let i = 0; i < PATTERN_LENGTH; i += 32) createHash('sha256').update(`uplink-bench-${i}`).digest().copy(block, i)
  return block.subarray(0, PATTERN_LENGTH)
}

/** Checks each received chunk against the pattern at its offset; cheap next to the crypto (a memcmp). */
function verifier (block) {
  let received = 0
  let intact = true
  return {
    take (data) {
      for (const chunk of data instanceof Uint8Array ? [data] : data) {
        let at = 0
        while (at < chunk.byteLength) {
          const offset = received % block.byteLength
          const n = Math.min(chunk.byteLength - at, block.byteLength - offset)
          if (intact && Buffer.compare(chunk.subarray(at, at + n), block.subarray(offset, offset + n)) !== 0) intact = false
          at += n
          received += n
        }
      }
      return received
    },
    get intact () { return intact }
  }
}

async function nodeOptions (stack) {
  const [{ tcp }, { yamux }] = await Promise.all([packages.tcp(), packages.yamux()])
  const crypto = stack === 'secio-yamux'
    ? (await packages.secio()).secio(secioInit)
    : stack === 'noise-yamux' ? (await packages.noise()).noise() : (await packages.plaintext()).plaintext()
  return { addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, modules: { transport: [tcp()], connection: { crypto: [crypto], muxer: [yamux()] } } }
}

async function bareSecio () {
  const [{ secio }, { generateKeyPair }, { defaultLogger }] = await Promise.all([packages.secio(), packages.keys(), packages.logger()])
  return secio(secioInit)({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() })
}

async function receiver () {
  const block = pattern()
  const check = verifier(block)
  let cpuAtStart
  const report = (bytes) => {
    cpuAtStart ??= process.cpuUsage()
    if (bytes >= total) process.send({ done: true, bytes, intact: check.intact && bytes === total, cpu: cpuSeconds(cpuAtStart), system: process.cpuUsage(cpuAtStart).system / 1e6 })
  }

  if (opts.stack === 'channel' || opts.stack === 'tcp') {
    const [{ socketToMultiaddrConnection }, encrypter] = await Promise.all([packages.tcp(), bareSecio()])
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true)
      const raw = socketToMultiaddrConnection(socket, { direction: 'inbound', inactivityTimeout: 0 })
      const secured = opts.stack === 'tcp' ? Promise.resolve({ connection: raw }) : encrypter.secureInbound(raw, { signal: AbortSignal.timeout(20_000) })
      secured.then(({ connection }) => {
        connection.addEventListener('message', (evt) => { report(check.take(evt.data)) })
      }, (err) => { process.send({ error: String(err?.stack ?? err) }) })
    })
    server.listen(0, '127.0.0.1', () => { process.send({ port: server.address().port }) })
  } else {
    const { createNode } = await packages.core()
    const node = await createNode(await nodeOptions(opts.stack))
    node.handle('/sink', async (stream) => {
      stream.addEventListener('message', (evt) => { report(check.take(evt.data)) })
    })
    process.send({ addrs: node.getMultiaddrs().map(String) })
  }
  process.on('disconnect', () => process.exit(0))
}

/** User + system CPU seconds of this process since `since`. */
function cpuSeconds (since) {
  const { user, system } = process.cpuUsage(since)
  return (user + system) / 1e6
}

/** What SECIO must do per frame it sends, alone on one core: AES-256-CTR, then a fresh HMAC-SHA256 over the ciphertext. */
function sealLimit (bytes, frame = 64 * 1024) {
  const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16))
  const macKey = randomBytes(20)
  const plaintext = randomBytes(frame)
  const started = performance.now()
  const cpu = process.cpuUsage()
  for (let done = 0; done < bytes; done += frame) {
    createHmac('sha256', macKey).update(cipher.update(plaintext)).digest()
  }
  return { wall: bytes / 1e6 / ((performance.now() - started) / 1000), cpu: bytes / 1e6 / cpuSeconds(cpu) }
}

async function sender () {
  const block = pattern()
  const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--role', 'receiver'], { execArgv: process.execArgv })
  const messages = []
  let wake
  child.on('message', (msg) => { messages.push(msg); wake?.() })
  child.on('exit', (code) => { if (code !== 0) { messages.push({ error: `receiver exited with ${code}` }); wake?.() } })
  const next = async () => {
    while (messages.length === 0) await new Promise(resolve => { wake = resolve })
    const msg = messages.shift()
    if (msg.error != null) throw new Error(msg.error)
    return msg
  }

  const hello = await next()
  let stream
  let stop = async () => {}

  if (opts.stack === 'channel' || opts.stack === 'tcp') {
    const [{ socketToMultiaddrConnection }, encrypter] = await Promise.all([packages.tcp(), bareSecio()])
    const socket = connect({ port: hello.port, host: '127.0.0.1', allowHalfOpen: true })
    socket.setNoDelay(true)
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
    const raw = socketToMultiaddrConnection(socket, { direction: 'outbound', inactivityTimeout: 0 })
    stream = opts.stack === 'tcp' ? raw : (await encrypter.secureOutbound(raw, { signal: AbortSignal.timeout(20_000) })).connection
    stop = async () => { await stream.close() }
  } else {
    const { createNode } = await packages.core()
    const node = await createNode(await nodeOptions(opts.stack))
    stream = await node.dialProtocol(hello.addrs, '/sink')
    stop = async () => { await stream.close(); await node.stop() }
  }

  // the pattern repeated, long enough that a write of any size starts anywhere in it
  const tape = Buffer.alloc(block.byteLength + writeSize)
  for (let at = 0; at < tape.byteLength; at += block.byteLength) block.copy(tape, at)
  const started = performance.now()
  const cpu = process.cpuUsage()
  for (let sent = 0; sent < total;) {
    const offset = sent % block.byteLength
    const n = Math.min(writeSize, total - sent)
    if (!stream.send(tape.subarray(offset, offset + n))) await stream.onDrain()
    sent += n
  }
  const done = await next()
  const seconds = (performance.now() - started) / 1000
  const senderCpu = cpuSeconds(cpu)
  const senderSystem = process.cpuUsage(cpu).system / 1e6
  await stop()
  child.disconnect()

  // 0 skips it (for a profile of the transfer alone)
  const limit = Number(opts['limit-mib']) > 0 ? sealLimit(Number(opts['limit-mib']) * MiB) : { wall: NaN, cpu: NaN }
  const rate = total / 1e6 / seconds
  // on a shared machine wall time mostly measures the neighbours; CPU time is what this code
  // costs, and a pipeline of two processes on two free cores runs at the pace of the busier one
  const cpuRate = total / 1e6 / Math.max(senderCpu, done.cpu)
  console.log(JSON.stringify({
    root: opts.root,
    stack: opts.stack,
    mib: total / MiB,
    write: writeSize,
    intact: done.intact,
    seconds: Number(seconds.toFixed(3)),
    MBps: Math.round(rate),
    senderCpu: Number(senderCpu.toFixed(3)),
    receiverCpu: Number(done.cpu.toFixed(3)),
    senderSystem: Number(senderSystem.toFixed(3)),
    receiverSystem: Number(done.system.toFixed(3)),
    cpuMBps: Math.round(cpuRate),
    sealLimitMBps: Math.round(limit.wall),
    sealLimitCpuMBps: Math.round(limit.cpu),
    ratioToSealLimit: Number((rate / limit.wall).toFixed(3)),
    cpuRatioToSealLimit: Number((cpuRate / limit.cpu).toFixed(3))
  }))
  if (!done.intact) process.exitCode = 1
}

await (opts.role === 'receiver' ? receiver() : sender())
