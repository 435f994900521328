import { multiaddr } from '@multiformats/multiaddr'
import { isSecioEncryptionDetails } from '@uplink/secio'
import { connectionFlags, CONNECTION_OPTIONS, integer, parse } from '../args.js'
import { EXIT } from '../exit-codes.js'
import { loadIdentity } from '../identity.js'
import { ms } from '../output.js'
import { ECHO, echoBack, PING } from '../protocols.js'
import { createSession } from '../session.js'
import type { Output } from '../output.js'
import type { Session } from '../session.js'
import type { Listener, MultiaddrConnection, Upgrader, UpgraderOptions } from '@libp2p/interface'
import type { SecuredSession, UpgradeProgressEvents } from '@uplink/core'
import type { ProgressEvent } from 'progress-events'

export const LISTEN_OPTIONS = {
  ...CONNECTION_OPTIONS,
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'ws-port': { type: 'string' }
} as const

/**
 * `uplink listen`: prints its `/p2p/` addresses, then one line per inbound
 * connection (who, which crypto and SECIO suite, which muxer, how long the
 * upgrade took) or per failed one (the stage, the error and its causes), and
 * serves echo and ping until interrupted.
 */
export async function listen (args: string[], makeOutput: (json: boolean) => Output, signal: AbortSignal): Promise<number> {
  const { values } = parse(args, LISTEN_OPTIONS, 0)
  const flags = connectionFlags(values)
  const host = values.host ?? '127.0.0.1'
  const family = host.includes(':') ? 'ip6' : 'ip4'
  const addrs = [multiaddr(`/${family}/${host}/tcp/${values.port == null ? 0 : integer('port', values.port)}`)]

  if (values['ws-port'] != null) {
    addrs.push(multiaddr(`/${family}/${host}/tcp/${integer('ws-port', values['ws-port'])}/ws`))
  }

  const out = makeOutput(flags.json)
  const identity = await loadIdentity(flags.key)
  // inbound, `auto` answers each dialer in the plaintext form it used: legacy and modern alike
  const session = createSession({ identity, ...flags, plaintextForm: flags.legacy ? 'auto' : 'spec' })
  serveProtocols(session, out)

  const upgrader = watchInbound(session, out)
  const listeners: Listener[] = []

  try {
    for (const addr of addrs) {
      const listener = session.transportFor(addr, 'listen').createListener({ upgrader })
      listeners.push(listener)
      await listener.listen(addr)
    }
  } catch (err) {
    out.failure({ stage: 'connect' }, err)
    await Promise.all(listeners.map(async l => l.close()))
    return EXIT.CONNECT
  }

  const listening = listeners.flatMap(l => l.getAddrs()).map(a => a.encapsulate(`/p2p/${identity.peerId.toString()}`).toString())
  out.emit('listening', { peerId: identity.peerId.toString(), addrs: listening, crypto: flags.crypto, muxer: flags.muxer },
    listening.map(a => `listening on ${a}`).join('\n') +
    `\n  crypto ${flags.crypto.join(',')}, muxer ${flags.muxer.join(',')}; serving ${ECHO} and ${PING}; Ctrl-C stops`)

  await new Promise<void>(resolve => {
    if (signal.aborted) resolve()
    signal.addEventListener('abort', () => { resolve() }, { once: true })
  })

  await Promise.all(listeners.map(async l => l.close()))
  out.emit('stopped', {}, 'stopped')
  return EXIT.OK
}

function serveProtocols (session: Session, out: Output): void {
  session.upgrader.handle([ECHO, PING], async (stream, connection) => {
    const protocol = stream.protocol
    try {
      const bytes = await echoBack(stream)
      out.emit('stream', { protocol, remotePeer: connection.remotePeer.toString(), bytes }, `  ${protocol} from ${connection.remotePeer.toString()}: ${bytes} bytes echoed`)
    } catch (err) {
      out.failure({ stage: 'stream', protocol, remotePeer: connection.remotePeer.toString() }, err, '  ')
    }
  }, { maxInboundStreams: 256 })
}

/**
 * The upgrader the listeners get: Uplink's, with every inbound upgrade
 * reported when it ends. Only `upgradeInbound` differs, so this is the
 * upgrader's own pipeline, watched through its result.
 */
function watchInbound (session: Session, out: Output): Upgrader {
  const { upgrader } = session

  return {
    upgradeOutbound: upgrader.upgradeOutbound.bind(upgrader),
    createInboundAbortSignal: upgrader.createInboundAbortSignal.bind(upgrader),
    getConnectionEncrypters: upgrader.getConnectionEncrypters.bind(upgrader),
    getStreamMuxers: upgrader.getStreamMuxers.bind(upgrader),
    upgradeInbound: async (maConn: MultiaddrConnection, opts: UpgraderOptions): Promise<void> => {
      const started = performance.now()
      const from = maConn.remoteAddr.toString()
      const seen: Partial<InboundResult> = {}
      const onProgress = (evt: ProgressEvent): void => {
        const event = evt as UpgradeProgressEvents
        if (event.type === 'upgrader:secured') Object.assign(seen, event.detail)
        if (event.type === 'upgrader:muxer-negotiated') seen.muxer = event.detail.protocol
      }

      try {
        await upgrader.upgradeInbound(maConn, { ...opts, onProgress })
        reportInbound(out, from, seen as InboundResult, performance.now() - started)
      } catch (err: any) {
        out.failure({ stage: err?.stage ?? 'connect', from, ms: Math.round((performance.now() - started) * 10) / 10 }, err, `inbound from ${from} `)
        throw err
      }
    }
  }
}

interface InboundResult extends SecuredSession {
  muxer?: string
}

function reportInbound (out: Output, from: string, { remotePeer, encryption, encryptionDetails, muxer }: InboundResult, took: number): void {
  const secio = isSecioEncryptionDetails(encryptionDetails) ? encryptionDetails : undefined
  const suite = secio == null ? '' : ` (${secio.exchange}, ${secio.cipher}, ${secio.hash})`
  out.emit('inbound', {
    from,
    remotePeer: remotePeer.toString(),
    encryption,
    ...(secio == null ? {} : { secio }),
    muxer: muxer ?? null,
    ms: Math.round(took * 10) / 10
  }, `inbound from ${from}: ${remotePeer.toString()} ${encryption}${suite} ${muxer ?? 'no muxer'} in ${ms(took)} ms`)
}
