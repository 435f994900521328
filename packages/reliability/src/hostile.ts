// Hostile SECIO peers against a real Uplink listener over real TCP sockets: slowloris in each phase,
// hostile lengths in each phase, a peer presenting someone else's key (as dialer and as listener).
import { createConnection, createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import * as mss from '@libp2p/multistream-select'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { socketToMultiaddrConnection } from '@uplink/tcp'
import { Uint8ArrayList } from 'uint8arraylist'
import { dial, startListener, upgraderFor } from './endpoints.js'
import { causeNames } from './outcome.js'
import { hostilePeer, secioPb } from './secio-fixtures.js'
import type { Listener } from './endpoints.js'
import type { FakePeer } from './secio-fixtures.js'
import type { MultiaddrConnection, PrivateKey } from '@libp2p/interface'
import type { AddressInfo, Socket } from 'node:net'

export type Phase = 'negotiate-crypto' | 'Propose' | 'Exchange' | 'nonce frame' | 'negotiate-muxer'
export const PHASES: Phase[] = ['negotiate-crypto', 'Propose', 'Exchange', 'nonce frame', 'negotiate-muxer']

/** The upgrade stage a failure in each phase belongs to. */
export const PHASE_STAGE: Record<Phase, string> = {
  'negotiate-crypto': 'negotiate-crypto',
  Propose: 'handshake',
  Exchange: 'handshake',
  'nonce frame': 'handshake',
  'negotiate-muxer': 'negotiate-muxer'
}

const MULTISTREAM = '/multistream/1.0.0\n'

export interface HostileClient {
  socket: Socket
  raw: MultiaddrConnection
  /** resolves with ms since connect once the listener has closed the socket */
  closed: Promise<number>
  fake: (privateKey: PrivateKey) => FakePeer
  /** multistream-select /secio/1.0.0 as an honest dialer does */
  selectSecio: () => Promise<void>
  /** raw bytes straight onto the socket */
  writeRaw: (bytes: Uint8Array) => void
}

export async function hostileClient (listener: Listener): Promise<HostileClient> {
  const socket = createConnection({ host: listener.host, port: listener.port, allowHalfOpen: true, noDelay: true })
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  const connectedAt = performance.now()
  socket.on('error', () => {})
  const closed = new Promise<number>(resolve => socket.once('close', () => { resolve(performance.now() - connectedAt) }))
  const raw = socketToMultiaddrConnection(socket, { direction: 'outbound', remoteAddr: listener.addr, inactivityTimeout: 0 })
  return {
    socket,
    raw,
    closed,
    fake: privateKey => new hostilePeer.FakePeer(raw, { privateKey }),
    async selectSecio () { await mss.select(raw, '/secio/1.0.0', { signal: AbortSignal.timeout(10_000) }) },
    writeRaw (bytes) { socket.write(bytes) }
  }
}

function varint (value: number): Uint8Array {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}

/** A multistream-select message as it goes on the wire. */
function mssMessage (text: string): Uint8Array {
  const body = new TextEncoder().encode(text)
  return Uint8Array.from([...varint(body.byteLength), ...body])
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Brings a hostile client to the start of `phase` honestly, then hands over: `act` gets the bytes an
 * honest peer would send now (for dripping) and the means to send anything else.
 */
async function toPhase (client: HostileClient, privateKey: PrivateKey, phase: Phase): Promise<{ fake?: FakePeer, honestNext: () => Promise<Uint8Array> }> {
  if (phase === 'negotiate-crypto') return { honestNext: async () => mssMessage(MULTISTREAM) }
  await client.selectSecio()
  const fake = client.fake(privateKey)
  const captureNext = async (step: () => Promise<void>): Promise<Uint8Array> => {
    // the fake peer's next write is captured instead of sent, so it can be dripped or cut
    let captured: Uint8Array = new Uint8Array()
    const writeMessage = fake.writeMessage.bind(fake)
    fake.writeMessage = async (payload: Uint8Array) => { captured = Uint8Array.from([...hostilePeer.prefix(payload.byteLength), ...payload]) }
    await step()
    fake.writeMessage = writeMessage
    return captured
  }

  if (phase === 'Propose') return { fake, honestNext: async () => captureNext(async () => fake.sendPropose()) }
  await fake.sendPropose()
  await fake.readPropose()
  if (phase === 'Exchange') return { fake, honestNext: async () => captureNext(async () => fake.sendExchange()) }
  await fake.sendExchange()
  await fake.readExchange()
  if (phase === 'nonce frame') return { fake, honestNext: async () => fake.nonceFrame().subarray() }
  await fake.writeRaw(fake.nonceFrame())
  await fake.readNonceFrame()
  // the muxer negotiation, one byte per sealed frame
  return {
    fake,
    honestNext: async () => {
      const frames = [...mssMessage(MULTISTREAM)].map(byte => fake.seal(Uint8Array.of(byte)).subarray())
      return Uint8Array.from(frames.flatMap(frame => [...frame]))
    }
  }
}

export interface HostileCase {
  attack: string
  phase?: Phase
  /** the listener's upgrade error, by name, outermost first */
  causes: string[]
  stage?: string
  /** ms from the hostile socket's connect to its close by the listener */
  closedAfterMs: number
  /** the property this attack must have shown */
  held: boolean
}

export interface SlowlorisOptions { upgradeTimeout: number, dripEvery: number }
export const FULL_SLOWLORIS: SlowlorisOptions = { upgradeTimeout: 10_000, dripEvery: 2_000 }
export const QUICK_SLOWLORIS: SlowlorisOptions = { upgradeTimeout: 1_500, dripEvery: 300 }

/** A byte every `dripEvery` ms in `phase`: the listener must close the socket at its upgrade deadline, with a TimeoutError for that stage. */
export async function slowloris (phase: Phase, options: SlowlorisOptions): Promise<HostileCase> {
  const listener = await startListener({ muxer: 'yamux', upgradeTimeout: options.upgradeTimeout })
  try {
    const client = await hostileClient(listener)
    const { honestNext } = await toPhase(client, await generateKeyPair('Ed25519'), phase)
    const bytes = await honestNext()
    let open = true
    void client.closed.then(() => { open = false })
    // all but the last byte, so the message is never complete however slow the deadline is
    for (let i = 0; i < bytes.byteLength - 1 && open; i++) {
      client.writeRaw(bytes.subarray(i, i + 1))
      await Promise.race([sleep(options.dripEvery), client.closed])
    }
    const closedAfterMs = await client.closed
    const inbound = await (listener.inbound[0] as Promise<{ error?: Error }>)
    const causes = causeNames(inbound.error)
    const stage = (inbound.error as { stage?: string } | undefined)?.stage
    return { attack: 'slowloris', phase, causes, stage, closedAfterMs, held: causes.includes('TimeoutError') && stage === PHASE_STAGE[phase] }
  } finally {
    await listener.close()
  }
}

export const HOSTILE_LENGTHS = [0xFFFFFFFF, 0x7FFFFFFF]

/** A length prefix of `length` at the start of `phase`: refused from the prefix alone, long before any deadline. */
export async function hostileLength (phase: Phase, length: number): Promise<HostileCase> {
  const listener = await startListener({ muxer: 'yamux' })
  try {
    const client = await hostileClient(listener)
    const { fake } = await toPhase(client, await generateKeyPair('Ed25519'), phase)
    if (phase === 'negotiate-crypto') client.writeRaw(varint(length))
    else await fake?.writeRaw(new Uint8ArrayList(hostilePeer.prefix(length)))
    const closedAfterMs = await client.closed
    const inbound = await (listener.inbound[0] as Promise<{ error?: Error }>)
    const causes = causeNames(inbound.error)
    const stage = (inbound.error as { stage?: string } | undefined)?.stage
    const named = phase === 'negotiate-crypto' ? causes.length > 1 : causes.includes('InvalidFrameLengthError')
    return { attack: `length 0x${length.toString(16).toUpperCase()}`, phase, causes, stage, closedAfterMs, held: named && !causes.includes('TimeoutError') && stage === PHASE_STAGE[phase] }
  } finally {
    await listener.close()
  }
}

/** A dialer whose Propose carries the victim's public key, signing with its own: refused, never a connection. */
export async function impostorDialer (): Promise<HostileCase> {
  const victim = await generateKeyPair('Ed25519')
  const listener = await startListener({ muxer: 'yamux' })
  try {
    const client = await hostileClient(listener)
    await client.selectSecio()
    const fake = client.fake(await generateKeyPair('Ed25519'))
    await fake.sendPropose(bytes => secioPb.Propose.encode({ ...secioPb.Propose.decode(bytes), pubkey: new Uint8Array(publicKeyToProtobuf(victim.publicKey)) }))
    await fake.readPropose()
    await fake.sendExchange().catch(() => {})
    const closedAfterMs = await client.closed
    const inbound = await (listener.inbound[0] as Promise<{ error?: Error, connection?: unknown }>)
    const causes = causeNames(inbound.error)
    return { attack: 'dialer presenting another peer\'s key', causes, stage: (inbound.error as { stage?: string } | undefined)?.stage, closedAfterMs, held: inbound.connection == null && causes.includes('BadSignatureError') }
  } finally {
    await listener.close()
  }
}

/** Our dialer to /p2p/<victim> reaches a listener presenting the victim's key without holding it: refused. */
export async function impostorListener (): Promise<HostileCase> {
  const victim = await generateKeyPair('Ed25519')
  const impostorKey = await generateKeyPair('Ed25519')
  const sockets: Socket[] = []
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket)
    socket.on('error', () => {})
    const raw = socketToMultiaddrConnection(socket, { direction: 'inbound', inactivityTimeout: 0 })
    void (async () => {
      await mss.handle(raw, '/secio/1.0.0', { signal: AbortSignal.timeout(10_000) })
      const fake = new hostilePeer.FakePeer(raw, { privateKey: impostorKey })
      await fake.sendPropose(bytes => secioPb.Propose.encode({ ...secioPb.Propose.decode(bytes), pubkey: new Uint8Array(publicKeyToProtobuf(victim.publicKey)) }))
      await fake.readPropose()
      await fake.sendExchange()
    })().catch(() => {})
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = multiaddr(`/ip4/127.0.0.1/tcp/${(server.address() as AddressInfo).port}/p2p/${peerIdFromPrivateKey(victim).toString()}`)
  const started = performance.now()
  try {
    await dial(upgraderFor(await generateKeyPair('Ed25519'), { muxer: 'yamux' }), addr, { signal: AbortSignal.timeout(10_000) })
    return { attack: 'listener presenting the dialed peer\'s key', causes: [], closedAfterMs: performance.now() - started, held: false }
  } catch (err) {
    const causes = causeNames(err)
    return { attack: 'listener presenting the dialed peer\'s key', causes, stage: (err as { stage?: string }).stage, closedAfterMs: performance.now() - started, held: causes.includes('BadSignatureError') }
  } finally {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>(resolve => server.close(() => { resolve() }))
  }
}

/** An honest Uplink listener with another key at the address dialed as /p2p/<victim>: UnexpectedPeerError naming both. */
export async function wrongPeerAtAddress (): Promise<HostileCase> {
  const listener = await startListener({ muxer: 'yamux' })
  const victim = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const started = performance.now()
  try {
    await dial(upgraderFor(await generateKeyPair('Ed25519'), { muxer: 'yamux' }), multiaddr(`/ip4/${listener.host}/tcp/${listener.port}/p2p/${victim.toString()}`), { signal: AbortSignal.timeout(10_000) })
    return { attack: 'another peer at the dialed address', causes: [], closedAfterMs: performance.now() - started, held: false }
  } catch (err) {
    const causes = causeNames(err)
    return { attack: 'another peer at the dialed address', causes, stage: (err as { stage?: string }).stage, closedAfterMs: performance.now() - started, held: causes.includes('UnexpectedPeerError') }
  } finally {
    await listener.close()
  }
}
