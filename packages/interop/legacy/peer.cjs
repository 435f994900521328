#!/usr/bin/env node
'use strict'
// One legacy JS libp2p peer (libp2p 0.29 / libp2p-secio 0.13.1), driven by JSON lines.
//
//   node peer.cjs --mode node|bare-secio-listen|bare-secio-dial
//                 [--key-type rsa|ed25519|secp256k1 | --private-key <base64 protobuf>]
//                 [--crypto secio|plaintext]      (node mode)
//                 [--listen <multiaddr>]          (node and bare-secio-listen; default /ip4/127.0.0.1/tcp/0)
//                 [--mss]                         (bare modes: multistream-select /secio/1.0.0 first)
//                 [--connect <multiaddr> --bytes N [--chunk N] [--seed N]]  (bare-secio-dial: one shot, then exit)
//                 [--strip-secret-zeros]          (secio: key with the ECDH secret minus its leading zero bytes, like go-libp2p)
//                 [--exchanges P-521[,P-384…]]    (secio: curves offered, most preferred first; default P-256,P-384,P-521)
//
// stdout carries only JSON lines (events); diagnostics go to stderr (DEBUG=libp2p* works too).
// stdin carries JSON line commands; every reply repeats the command's "id" if it had one:
//   {"cmd":"dial-echo","addr":"/ip4/…/tcp/…/p2p/…","protocol":"/echo/1.0.0","bytes":N,"chunk":65536,"seed":1,"window":1048576}
//       -> {"event":"result","cmd":"dial-echo","ok":true,"bytes":N,"ms":…,"remotePeer":"…","sha256":"…"}
//      (sha256: of the echo received, which was checked byte for byte; inbound events carry the
//       sha256 of what they echoed)
//       -> {"event":"result","cmd":"dial-echo","ok":false,"error":"Name: message"}
//      (node mode: libp2p dial + protocol; bare-secio-dial: TCP + [mss] + secio, "protocol" ignored)
//   {"cmd":"abort","target":<id of a running dial-echo>}
//   {"cmd":"hang-up","peer":"<peer id or multiaddr>"}     (node mode)
//   {"cmd":"secret-stats"} -> {"event":"result","cmd":"secret-stats","ok":true,"handshakes":N,"leadingZero":N,"stripped":N}
//   {"cmd":"stop"} -> {"event":"stopped"} and exit 0.  EOF on stdin, SIGTERM, SIGINT also stop.
// Unsolicited events: ready, connect/disconnect (node), inbound (one echo session ended), error,
// secret (one per SECIO handshake that reached the ECDH step).
//   {"event":"secret","secretCurve":"P-521","secretLeadingZeros":1,"secretStripped":true,"order":1,"fullWidth":66,"width":65,"handshake":N}
//   (order: this side's SECIO order, 1 when its preferences won). dial-echo results and inbound
//   events of SECIO sessions repeat their handshake's secretCurve, secretLeadingZeros,
//   secretStripped and order.

const net = require('node:net')
const nodeCrypto = require('node:crypto')
const readline = require('node:readline')
const { parseArgs } = require('node:util')
const { AsyncLocalStorage } = require('node:async_hooks')

const ECHO_PROTOCOL = '/echo/1.0.0'
const DEFAULT_CHUNK = 64 * 1024
// Legacy secio refuses frames above its own read limit, and will happily write bigger ones
// if handed a big chunk; never hand it (or mplex) more than this in one piece.
const MAX_CHUNK = 1024 * 1024
// dial-echo keeps at most this many bytes sent but not yet echoed (see sendAndVerify).
const DEFAULT_WINDOW = 1024 * 1024

// ---------------------------------------------------------------- output

// Keep stdout for protocol lines only: anything the legacy libraries print goes to stderr.
console.log = console.info = console.warn = console.debug = console.error

function emit (event) {
  process.stdout.write(JSON.stringify(event) + '\n')
}

function errorText (err) {
  if (err == null) return 'Error: unknown'
  if (typeof err !== 'object') return `Error: ${String(err)}`
  const name = err.code != null && err.name === 'Error' ? `Error(${err.code})` : (err.name || 'Error')
  return `${name}: ${err.message}`
}

function log (...args) {
  process.stderr.write(`[legacy-peer ${process.pid}] ${args.join(' ')}\n`)
}

process.on('unhandledRejection', (err) => {
  log('unhandled rejection', err && err.stack ? err.stack : String(err))
  emit({ event: 'error', fatal: false, origin: 'unhandledRejection', error: errorText(err) })
})
process.on('uncaughtException', (err) => {
  log('uncaught exception', err && err.stack ? err.stack : String(err))
  emit({ event: 'error', fatal: false, origin: 'uncaughtException', error: errorText(err) })
})

// ---------------------------------------------------------------- arguments

let args
try {
  args = parseArgs({
    options: {
      mode: { type: 'string', default: 'node' },
      'key-type': { type: 'string', default: 'ed25519' },
      'private-key': { type: 'string' },
      crypto: { type: 'string', default: 'secio' },
      listen: { type: 'string', default: '/ip4/127.0.0.1/tcp/0' },
      mss: { type: 'boolean', default: false },
      connect: { type: 'string' },
      bytes: { type: 'string' },
      chunk: { type: 'string' },
      seed: { type: 'string' },
      'strip-secret-zeros': { type: 'boolean', default: false },
      exchanges: { type: 'string' }
    },
    strict: true,
    allowPositionals: false
  }).values
} catch (err) {
  emit({ event: 'error', fatal: true, error: errorText(err) })
  process.exit(2)
}

const MODES = ['node', 'bare-secio-listen', 'bare-secio-dial']
const KEY_TYPES = ['rsa', 'ed25519', 'secp256k1']
const CRYPTOS = ['secio', 'plaintext']
function usage (message) {
  emit({ event: 'error', fatal: true, error: `UsageError: ${message}` })
  process.exit(2)
}
if (!MODES.includes(args.mode)) usage(`--mode must be one of ${MODES.join(', ')}`)
if (!KEY_TYPES.includes(args['key-type'])) usage(`--key-type must be one of ${KEY_TYPES.join(', ')}`)
if (!CRYPTOS.includes(args.crypto)) usage(`--crypto must be one of ${CRYPTOS.join(', ')}`)
const CURVES = ['P-256', 'P-384', 'P-521']
const EXCHANGES = args.exchanges == null ? null : args.exchanges.split(',')
if (EXCHANGES != null && (EXCHANGES.length === 0 || EXCHANGES.some((c) => !CURVES.includes(c)))) {
  usage(`--exchanges must be a comma-separated list of ${CURVES.join(', ')}`)
}

// The legacy stack is loaded after argument checks (it takes a few hundred ms).
const PeerId = require('peer-id')
const cryptoKeys = require('libp2p-crypto').keys
const multiaddr = require('multiaddr')
const toIt = require('stream-to-it')
const mss = require('multistream-select')

// ---------------------------------------------------------------- SECIO secret patch

// The ECDH step of every SECIO handshake, observed (and with --strip-secret-zeros changed) here.
// libp2p-secio (src/handshake/crypto.js) calls `crypto.keys.generateEphemeralKeyPair(curve)`
// through the shared libp2p-crypto exports object at handshake time, and keys the session
// with whatever the returned `genSharedKey(theirPub)` resolves to. Node returns the X
// coordinate at the curve's full width (32/48/66 bytes); go-libp2p-secio uses
// `big.Int.Bytes()`, which drops the leading zero bytes. Stripping them here makes this peer
// derive exactly Go's keys.
const secretStats = { handshakes: 0, leadingZero: 0, stripped: 0 }
// One store per SECIO handshake (see secioModule), so that results and inbound events can say
// what their own handshake's secret looked like.
const handshakeContext = new AsyncLocalStorage()

function patchEphemeralKeys () {
  const original = cryptoKeys.generateEphemeralKeyPair
  cryptoKeys.generateEphemeralKeyPair = async (curve) => {
    const pair = await original(curve)
    return {
      key: pair.key,
      async genSharedKey (theirPub, forcePrivate) {
        const full = await pair.genSharedKey(theirPub, forcePrivate)
        let zeros = 0
        while (zeros < full.length && full[zeros] === 0) zeros++
        const stripped = args['strip-secret-zeros'] && zeros > 0
        // big.Int.Bytes(): big-endian, no leading zeros (and empty for zero).
        const secret = stripped ? Buffer.from(full.subarray(zeros)) : full
        const order = handshakeContext.getStore()?.order
        const info = { secretCurve: curve, secretLeadingZeros: zeros, secretStripped: stripped, ...(order != null ? { order } : {}) }
        secretStats.handshakes++
        if (zeros > 0) secretStats.leadingZero++
        if (stripped) secretStats.stripped++
        // The handshake's own store and the ones around it (a dial-echo's, an inbound socket's).
        for (let store = handshakeContext.getStore(); store != null; store = store.parent) store.secret = info
        emit({ event: 'secret', ...info, fullWidth: full.length, width: secret.length, handshake: secretStats.handshakes })
        return secret
      }
    }
  }
}
patchEphemeralKeys()

const SECIO = require('libp2p-secio')
// What runs, from the installed packages (as the Go, Rust and Python peers say in `ready`).
const IMPLEMENTATION = `libp2p-secio ${require('libp2p-secio/package.json').version} (JS, libp2p ${require('libp2p/package.json').version})`
const secioSupport = require('libp2p-secio/src/support')
if (EXCHANGES != null) {
  // libp2p-secio reads these module-level lists at each handshake (proposal and selection).
  secioSupport.exchanges.splice(0, secioSupport.exchanges.length, ...EXCHANGES)
}
{
  // Remember this side's order (1: our preferences won) for the `secret` report; libp2p-secio
  // calls `support.selectBest` through the module object, before the ECDH step.
  const selectBest = secioSupport.selectBest
  secioSupport.selectBest = async (local, remote) => {
    const selected = await selectBest(local, remote)
    const store = handshakeContext.getStore()
    if (store != null) store.order = selected.order > 0 ? 1 : -1
    return selected
  }
}

/** The secio-fields of the handshake that ran in `store` (empty if it never reached ECDH). */
function secretFields (store) {
  return store != null && store.secret != null ? store.secret : {}
}

// remote peer id -> secret fields of the latest handshake with it (node-mode inbound events).
const lastSecretByPeer = new Map()

/**
 * libp2p-secio with each handshake in its own context (inside the caller's: a dial-echo's), so
 * that its secret is reported with the right session; also remembered per remote peer.
 */
function secioModule () {
  const wrap = (fn) => async (localPeer, duplex, remotePeer) => {
    const store = { parent: handshakeContext.getStore() }
    const result = await handshakeContext.run(store, () => fn(localPeer, duplex, remotePeer))
    if (store.secret != null) lastSecretByPeer.set(result.remotePeer.toB58String(), store.secret)
    return result
  }
  return { protocol: SECIO.protocol, secureInbound: wrap(SECIO.secureInbound), secureOutbound: wrap(SECIO.secureOutbound) }
}
const secio = secioModule()

// ---------------------------------------------------------------- helpers

async function createPeerId () {
  if (args['private-key'] != null) {
    return PeerId.createFromPrivKey(new Uint8Array(Buffer.from(args['private-key'], 'base64')))
  }
  switch (args['key-type']) {
    case 'rsa': {
      // Node's own generator: libp2p-crypto would use ursa-optional (not built: we install with
      // --ignore-scripts) and fall back to the pure JS `keypair`, which takes seconds.
      const { privateKey } = nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      const key = await cryptoKeys.supportedKeys.rsa.fromJwk(privateKey.export({ format: 'jwk' }))
      return PeerId.createFromPrivKey(key.bytes)
    }
    case 'ed25519':
      return PeerId.create({ keyType: 'Ed25519' })
    case 'secp256k1':
      return PeerId.create({ keyType: 'secp256k1' })
  }
  throw new Error(`unknown key type ${args['key-type']}`)
}

function keyTypeOf (peerId) {
  const bytes = peerId.marshalPubKey()
  // PublicKey protobuf: field 1 (Type) varint: 0 RSA, 1 Ed25519, 2 Secp256k1
  return ['rsa', 'ed25519', 'secp256k1'][bytes[1]] || 'unknown'
}

function toBytes (chunk) {
  // libp2p-secio and mplex yield BufferList objects; everything else wants plain bytes.
  return chunk instanceof Uint8Array ? chunk : chunk.slice()
}

/** Deterministic pseudo-random bytes (xorshift32; seed 0 is replaced by 1). */
function * patternChunks (total, chunkSize, seed) {
  let x = (seed >>> 0) || 1
  let left = total
  while (left > 0) {
    const n = Math.min(chunkSize, left)
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      x ^= x << 13; x >>>= 0
      x ^= x >>> 17
      x ^= x << 5; x >>>= 0
      out[i] = x & 0xff
    }
    left -= n
    yield out
  }
}

/** Splits every chunk of `source` into pieces of at most `max` bytes. */
async function * rechunk (source, max, onChunk) {
  for await (const chunk of source) {
    const bytes = toBytes(chunk)
    if (onChunk) onChunk(bytes)
    for (let off = 0; off < bytes.length; off += max) {
      yield bytes.subarray(off, Math.min(off + max, bytes.length))
    }
  }
}

function clampChunk (value) {
  const n = Number(value ?? DEFAULT_CHUNK)
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`chunk must be a positive integer, got ${value}`)
  return Math.min(n, MAX_CHUNK)
}

function abortError (signal) {
  const reason = signal.reason
  if (reason instanceof Error) return reason
  const err = new Error('the operation was aborted')
  err.name = 'AbortError'
  return err
}

/**
 * Sends `total` pattern bytes over `duplex` and checks that exactly the same bytes come back.
 * The write side stays open until the whole echo has been read (so a half-close is never needed).
 */
async function sendAndVerify (duplex, { total, chunkSize, seed, window, signal }) {
  let readerDone
  const allRead = new Promise((resolve) => { readerDone = resolve })
  let received = 0
  let wakeWriter = null
  const progress = () => { if (wakeWriter) { const wake = wakeWriter; wakeWriter = null; wake() } }
  allRead.then(progress)

  const writer = duplex.sink((async function * () {
    let sent = 0
    for (const chunk of patternChunks(total, chunkSize, seed)) {
      // Keep at most `window` bytes in flight: the legacy muxer and secio queue without limit
      // and then write everything queued as one frame, which the reader rejects above 8 MiB.
      while (sent - received > window) await new Promise((resolve) => { wakeWriter = resolve })
      sent += chunk.length
      yield chunk
    }
    await allRead
  })())

  const digest = nodeCrypto.createHash('sha256')
  const reader = (async () => {
    const expected = patternChunks(total, 65536, seed)
    let want = new Uint8Array(0)
    let wantOff = 0
    try {
      for await (const chunk of duplex.source) {
        const bytes = toBytes(chunk)
        for (let i = 0; i < bytes.length; i++) {
          if (wantOff === want.length) {
            const next = expected.next()
            if (next.done) throw new Error(`echo longer than the ${total} bytes sent`)
            want = next.value
            wantOff = 0
          }
          if (bytes[i] !== want[wantOff]) {
            throw new Error(`echo differs at byte ${received + i} of ${total}`)
          }
          wantOff++
        }
        digest.update(bytes)
        received += bytes.length
        progress()
        if (received === total) return received
      }
      throw new Error(`echo ended after ${received} of ${total} bytes`)
    } finally {
      readerDone()
    }
  })()

  const aborted = new Promise((_resolve, reject) => {
    if (signal.aborted) reject(abortError(signal))
    signal.addEventListener('abort', () => reject(abortError(signal)), { once: true })
  })
  // A failing writer fails the exchange at once; a finished one waits for the reader.
  const writerFailed = Promise.resolve(writer).then(() => new Promise(() => {}))
  for (const p of [aborted, reader, writerFailed]) p.catch(() => {})

  if (total === 0) readerDone()
  const count = total === 0 ? 0 : await Promise.race([reader, aborted, writerFailed])
  // The sink finishes once the generator above returns; its errors matter too.
  await Promise.race([writer, aborted])
  return { count, sha256: digest.digest('hex') }
}

/** A Node socket as an async-iterable duplex whose sink accepts BufferLists. */
function socketDuplex (socket) {
  const raw = toIt.duplex(socket)
  return {
    source: raw.source,
    sink: (source) => raw.sink((async function * () {
      for await (const chunk of source) yield toBytes(chunk)
    })())
  }
}

function closeGracefully (socket, ms) {
  if (socket.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    socket.once('close', () => { clearTimeout(timer); resolve() })
    socket.end()
    socket.resume()
  })
}

function parseTarget (addr) {
  const ma = multiaddr(addr)
  const { address, port } = ma.nodeAddress()
  const peerIdStr = ma.getPeerId()
  return { ma, host: address, port, peerId: peerIdStr ? PeerId.createFromB58String(peerIdStr) : undefined }
}

function connectTcp (host, port, signal) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, allowHalfOpen: true })
    const onAbort = () => { socket.destroy(); reject(abortError(signal)) }
    signal.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort)
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', (err) => { signal.removeEventListener('abort', onAbort); reject(err) })
  })
}

/** TCP [+ multistream-select] + SECIO. Returns { conn, remotePeer, socket }. */
async function bareSecioOutbound (peerId, addr, signal) {
  const target = parseTarget(addr)
  const socket = await connectTcp(target.host, target.port, signal)
  socket.on('error', (err) => log('bare dial socket error', errorText(err)))
  signal.addEventListener('abort', () => socket.destroy(), { once: true })
  let duplex = socketDuplex(socket)
  if (args.mss) {
    const { stream } = await new mss.Dialer(duplex).select(SECIO.protocol)
    duplex = stream
  }
  const { conn, remotePeer } = await secio.secureOutbound(peerId, duplex, target.peerId)
  return { conn, remotePeer, socket }
}

async function bareSecioInbound (peerId, socket) {
  let duplex = socketDuplex(socket)
  if (args.mss) {
    const { stream } = await new mss.Listener(duplex).handle(SECIO.protocol)
    duplex = stream
  }
  return secio.secureInbound(peerId, duplex)
}

/**
 * Echoes everything from `duplex` back in chunks of at most DEFAULT_CHUNK bytes.
 * Resolves with `{ bytes, sha256 }` (the count and digest of what was echoed) when the source
 * has ended (not when pipe() would resolve: the legacy stack's pipe can resolve before the
 * session is over).
 */
function echo (duplex) {
  return new Promise((resolve, reject) => {
    let count = 0
    const digest = nodeCrypto.createHash('sha256')
    const source = (async function * () {
      try {
        yield * rechunk(duplex.source, DEFAULT_CHUNK, (bytes) => { count += bytes.length; digest.update(bytes) })
        resolve({ bytes: count, sha256: digest.digest('hex') })
      } catch (err) {
        err.bytes = count
        reject(err)
        throw err
      }
    })()
    Promise.resolve(duplex.sink(source)).catch((err) => { err.bytes = count; reject(err) })
  })
}

// ---------------------------------------------------------------- modes

let stopper = async () => {}
let dialEchoImpl = null
let hangUpImpl = null

async function startNode (peerId) {
  const Libp2p = require('libp2p')
  const TCP = require('libp2p-tcp')
  const MPLEX = require('libp2p-mplex')
  const PLAINTEXT = require('libp2p/src/insecure/plaintext')

  const node = await Libp2p.create({
    peerId,
    addresses: { listen: [args.listen] },
    modules: {
      transport: [TCP],
      streamMuxer: [MPLEX],
      connEncryption: [args.crypto === 'plaintext' ? PLAINTEXT : secio]
    },
    config: { peerDiscovery: { autoDial: false } }
  })

  node.handle(ECHO_PROTOCOL, ({ connection, stream, protocol }) => {
    const remotePeer = connection.remotePeer.toB58String()
    const secret = args.crypto === 'secio' ? lastSecretByPeer.get(remotePeer) : undefined
    echo(stream).then(
      ({ bytes, sha256 }) => emit({ event: 'inbound', protocol, remotePeer, ok: true, bytes, sha256, ...secret }),
      (err) => emit({ event: 'inbound', protocol, remotePeer, ok: false, bytes: err.bytes, error: errorText(err), ...secret })
    )
  })
  node.connectionManager.on('peer:connect', (connection) => {
    emit({ event: 'connect', remotePeer: connection.remotePeer.toB58String(), remoteAddr: String(connection.remoteAddr), direction: connection.stat.direction })
  })
  node.connectionManager.on('peer:disconnect', (connection) => {
    emit({ event: 'disconnect', remotePeer: connection.remotePeer.toB58String() })
  })

  await node.start()

  dialEchoImpl = async ({ addr, protocol, total, chunkSize, seed, window, signal }) => {
    const target = multiaddr(addr)
    const { stream } = await node.dialProtocol(target, protocol, { signal })
    const remotePeer = target.getPeerId()
    const connection = remotePeer ? node.connectionManager.get(PeerId.createFromB58String(remotePeer)) : null
    let echoed
    try {
      echoed = await sendAndVerify(stream, { total, chunkSize, seed, window, signal })
    } catch (err) {
      try { stream.reset() } catch {}
      throw err
    }
    return { remotePeer: connection ? connection.remotePeer.toB58String() : remotePeer, sha256: echoed.sha256 }
  }
  hangUpImpl = async (peer) => {
    await node.hangUp(peer.startsWith('/') ? multiaddr(peer) : PeerId.createFromB58String(peer))
  }
  stopper = () => node.stop()

  const id = peerId.toB58String()
  return node.multiaddrs.map((ma) => `${ma.toString()}/p2p/${id}`)
}

async function listenTcp (listen) {
  const { address, port } = multiaddr(listen).nodeAddress()
  const sockets = new Set()
  const server = net.createServer({ allowHalfOpen: true })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(Number(port), address, () => { server.removeListener('error', reject); resolve() })
  })
  server.on('error', (err) => emit({ event: 'error', fatal: false, origin: 'server', error: errorText(err) }))
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const close = () => new Promise((resolve) => {
    for (const s of sockets) s.destroy()
    server.close(() => resolve())
  })
  return { server, close }
}

async function startBareListen (peerId) {
  const { server, close } = await listenTcp(args.listen)
  server.on('connection', (socket) => {
    const remoteAddr = `${socket.remoteAddress}:${socket.remotePort}`
    let remotePeer
    let sessionOver = false
    const store = {}
    // After the echo has ended the socket teardown may still report an AbortError; only log.
    socket.on('error', (err) => { if (!sessionOver) log('inbound socket error', remoteAddr, errorText(err)) })
    handshakeContext.run(store, () => bareSecioInbound(peerId, socket))
      .then(({ conn, remotePeer: rp }) => {
        remotePeer = rp.toB58String()
        emit({ event: 'connect', remotePeer, remoteAddr, direction: 'inbound' })
        return echo(conn)
      })
      .then(
        ({ bytes, sha256 }) => {
          sessionOver = true
          emit({ event: 'inbound', remotePeer, ok: true, bytes, sha256, ...secretFields(store) })
          socket.end()
        },
        (err) => {
          sessionOver = true
          emit({ event: 'inbound', remotePeer, ok: false, bytes: err.bytes ?? 0, error: errorText(err), ...secretFields(store) })
          socket.destroy()
        }
      )
  })
  stopper = close
  const { address, port } = server.address()
  const family = net.isIPv6(address) ? 'ip6' : 'ip4'
  return [`/${family}/${address}/tcp/${port}/p2p/${peerId.toB58String()}`]
}

function startBareDial (peerId) {
  dialEchoImpl = async ({ addr, total, chunkSize, seed, window, signal }) => {
    const { conn, remotePeer, socket } = await bareSecioOutbound(peerId, addr, signal)
    let echoed
    try {
      echoed = await sendAndVerify(conn, { total, chunkSize, seed, window, signal })
      // Our write side has ended (FIN sent); give the listener a moment to finish its side
      // cleanly, so that it does not see a reset.
      await closeGracefully(socket, 2000)
    } finally {
      socket.destroy()
    }
    return { remotePeer: remotePeer.toB58String(), sha256: echoed.sha256 }
  }
  return []
}

// ---------------------------------------------------------------- commands

const running = new Map() // id -> AbortController

async function dialEcho (cmd, signal) {
  if (dialEchoImpl == null) throw new Error(`dial-echo is not available in mode ${args.mode}`)
  if (typeof cmd.addr !== 'string') throw new TypeError('dial-echo needs "addr"')
  const total = Number(cmd.bytes ?? 0)
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`bytes must be a non-negative integer, got ${cmd.bytes}`)
  // "oversize": hand secio chunks as given, even above its own 8 MiB read limit, as the legacy
  // stack does under bulk load; lets tests reproduce its oversized frames deterministically
  const chunkSize = cmd.oversize === true ? Number(cmd.chunk) : clampChunk(cmd.chunk)
  const seed = Number(cmd.seed ?? 1)
  const window = Number(cmd.window ?? DEFAULT_WINDOW)
  if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${cmd.window}`)
  const started = performance.now()
  const { remotePeer, sha256 } = await dialEchoImpl({
    addr: cmd.addr, protocol: cmd.protocol ?? ECHO_PROTOCOL, total, chunkSize, seed, window, signal
  })
  return { bytes: total, ms: Math.round(performance.now() - started), remotePeer, sha256 }
}

let stopping = null
function stop (code = 0) {
  if (stopping) return stopping
  stopping = (async () => {
    for (const controller of running.values()) controller.abort()
    const timer = setTimeout(() => {
      log('stop took longer than 5 s; exiting anyway')
      process.exit(code || 1)
    }, 5000)
    timer.unref()
    try {
      await stopper()
      emit({ event: 'stopped', secretStats })
    } catch (err) {
      emit({ event: 'error', fatal: true, origin: 'stop', error: errorText(err) })
      code = code || 1
    }
    process.stdout.write('', () => process.exit(code))
  })()
  return stopping
}

async function handleCommand (line) {
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', fatal: false, origin: 'command', error: `SyntaxError: bad command line: ${err.message}` })
    return
  }
  const reply = (fields) => emit({ event: 'result', cmd: cmd.cmd, ...(cmd.id !== undefined ? { id: cmd.id } : {}), ...fields })
  switch (cmd.cmd) {
    case 'dial-echo': {
      const controller = new AbortController()
      const key = cmd.id ?? Symbol('dial-echo')
      const store = {}
      running.set(key, controller)
      try {
        const fields = await handshakeContext.run(store, () => dialEcho(cmd, controller.signal))
        reply({ ok: true, ...fields, ...secretFields(store) })
      } catch (err) {
        log('dial-echo failed:', err && err.stack ? err.stack : String(err))
        reply({ ok: false, error: errorText(err), ...secretFields(store) })
      } finally {
        running.delete(key)
      }
      return
    }
    case 'abort': {
      const controller = running.get(cmd.target)
      controller?.abort()
      reply({ ok: controller !== undefined })
      return
    }
    case 'hang-up': {
      try {
        if (hangUpImpl == null) throw new Error(`hang-up is not available in mode ${args.mode}`)
        await hangUpImpl(String(cmd.peer))
        reply({ ok: true })
      } catch (err) {
        reply({ ok: false, error: errorText(err) })
      }
      return
    }
    case 'secret-stats':
      reply({ ok: true, ...secretStats })
      return
    case 'stop':
      await stop(0)
      return
    default:
      reply({ ok: false, error: `UnknownCommand: ${JSON.stringify(cmd.cmd)}` })
  }
}

// ---------------------------------------------------------------- main

async function main () {
  const peerId = await createPeerId()
  let addrs
  if (args.mode === 'node') addrs = await startNode(peerId)
  else if (args.mode === 'bare-secio-listen') addrs = await startBareListen(peerId)
  else addrs = startBareDial(peerId)

  process.on('SIGTERM', () => { void stop(0) })
  process.on('SIGINT', () => { void stop(0) })

  emit({
    event: 'ready',
    mode: args.mode,
    ...(args.mode === 'node' ? { crypto: args.crypto } : { mss: args.mss }),
    stripSecretZeros: args['strip-secret-zeros'],
    exchanges: secioSupport.exchanges.join(','),
    peerId: peerId.toB58String(),
    keyType: keyTypeOf(peerId),
    privateKey: Buffer.from(peerId.marshalPrivKey()).toString('base64'),
    addrs,
    node: process.version,
    implementation: IMPLEMENTATION,
    pid: process.pid
  })

  if (args.connect != null) {
    // One-shot bare dial from the command line.
    const result = await handleOneShot()
    return stop(result ? 0 : 1)
  }

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  rl.on('line', (line) => {
    if (line.trim() === '') return
    handleCommand(line).catch((err) => emit({ event: 'error', fatal: false, origin: 'command', error: errorText(err) }))
  })
  // The controlling process went away: do not linger.
  rl.on('close', () => { void stop(0) })
}

async function handleOneShot () {
  const controller = new AbortController()
  const store = {}
  try {
    const fields = await handshakeContext.run(store, () => dialEcho({ addr: args.connect, bytes: args.bytes ?? 0, chunk: args.chunk, seed: args.seed }, controller.signal))
    emit({ event: 'result', cmd: 'dial-echo', ok: true, ...fields, ...secretFields(store) })
    return true
  } catch (err) {
    log('dial-echo failed:', err && err.stack ? err.stack : String(err))
    emit({ event: 'result', cmd: 'dial-echo', ok: false, error: errorText(err), ...secretFields(store) })
    return false
  }
}

main().catch((err) => {
  log('startup failed:', err && err.stack ? err.stack : String(err))
  emit({ event: 'error', fatal: true, origin: 'startup', error: errorText(err) })
  process.stdout.write('', () => process.exit(1))
})
