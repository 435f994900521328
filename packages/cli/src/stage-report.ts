import { isSecioEncryptionDetails } from '@uplink/secio'
import { causeChain } from './describe-error.js'
import { ms } from './output.js'
import type { Stage } from './exit-codes.js'
import type { Output } from './output.js'
import type { PeerId } from '@libp2p/interface'
import type { NegotiatedProtocol, SecuredSession, UpgradeProgressEvents, VerifiedPeer } from '@uplink/core'
import type { SecioKeying, SecioOffer, SecioProgressEvents, SecioProposals } from '@uplink/secio'
import type { ProgressEvent } from 'progress-events'

const PLAINTEXT = '/plaintext/2.0.0'

/**
 * Turns the progress events of one dial (the transport's, then the
 * upgrader's) into one report per stage as it ends, each with the time since
 * the dial began and how long the stage took. Remembers the stage in progress,
 * so a failure can be placed even when the error does not say.
 */
export class StageReport {
  private readonly started = performance.now()
  private stageStarted = this.started
  private transport?: string
  private encryption?: string
  private secioKeying?: SecioKeying
  /** The stage running now; where a failure without a `stage` of its own happened. */
  current: Stage = 'connect'

  private readonly expected?: PeerId
  private readonly quiet: boolean
  private readonly legacy: boolean

  constructor (private readonly out: Output, private readonly target: string, options: { expected?: PeerId, quiet?: boolean, legacy?: boolean } = {}) {
    this.expected = options.expected
    this.quiet = options.quiet === true
    this.legacy = options.legacy === true
  }

  /** Milliseconds since the dial began. */
  elapsed (): number {
    return performance.now() - this.started
  }

  readonly onProgress = (evt: ProgressEvent): void => {
    const event = evt as UpgradeProgressEvents | SecioProgressEvents | ProgressEvent<string>

    switch (event.type) {
      case 'tcp:open-connection':
      case 'websockets:open-connection':
        this.transport = event.type.slice(0, event.type.indexOf(':'))
        return
      case 'upgrader:encrypt-outbound-connection':
        this.end('connect', { transport: this.transport, address: this.target }, `${this.transport ?? 'connected'} to ${this.target}`)
        this.current = 'negotiate-crypto'
        return
      case 'upgrader:crypto-negotiated':
        this.negotiated('negotiate-crypto', event.detail as NegotiatedProtocol)
        this.current = 'handshake'
        return
      case 'secio:proposals':
        this.proposals(event.detail as SecioProposals)
        return
      case 'secio:keys-confirmed':
        this.secioKeying = event.detail as SecioKeying
        return
      case 'upgrader:secured':
        this.secured(event.detail as SecuredSession)
        this.current = 'verify-peer'
        return
      case 'upgrader:peer-verified':
        this.verified(event.detail as VerifiedPeer)
        return
      case 'upgrader:multiplex-outbound-connection':
        this.current = 'negotiate-muxer'
        this.stageStarted = performance.now()
        return
      case 'upgrader:muxer-negotiated':
        this.negotiated('negotiate-muxer', event.detail as NegotiatedProtocol)
        this.current = 'stream'
    }
  }

  private negotiated (stage: Stage, detail: NegotiatedProtocol): void {
    const { protocols, protocol, by } = detail
    const text = by === 'multistream-select'
      ? `offered ${protocols.join(' ')}, chosen ${protocol ?? '(none configured)'}`
      : `${protocol ?? 'none'}, agreed by the ${by === 'encrypter' ? 'crypto handshake' : 'transport'}`
    this.end(stage, { offered: protocols, chosen: protocol ?? null, by }, text)
  }

  /** Both SECIO Proposes, as the handshake read them: what a legacy peer offers is what a mismatch is debugged from. */
  private proposals ({ local, remote, order }: SecioProposals): void {
    if (this.quiet) return
    const wins = order > 0 ? 'ours' : 'theirs'
    this.out.emit('secio-proposal', { local, remote, preferred: wins },
      `${pad('')}${'secio proposal'.padEnd(17)} ours   ${offer(local)}\n` +
      `${pad('')}${''.padEnd(17)} theirs ${offer(remote)}  (${wins} preferred)`)
  }

  private secured ({ encryption, remotePeer, encryptionDetails }: SecuredSession): void {
    this.encryption = encryption
    const suite = isSecioEncryptionDetails(encryptionDetails) ? encryptionDetails : undefined
    const selected = suite == null ? '' : `, selected ${suite.exchange} / ${suite.cipher} / ${suite.hash}`
    const keying = this.secioKeying
    // only a zero-led secret is worth a word: it is where SECIO implementations disagree
    const zeroLed = keying == null || keying.leadingZeros === 0 ? '' : `, secret zero-led: ${keying.secretWidth} width (${keying.settledBy})`
    this.end('handshake', { encryption, remotePeer: remotePeer.toString(), ...(suite == null ? {} : { secio: suite }), ...(keying == null ? {} : { secioKeying: keying }) },
      `${encryption}${selected}${zeroLed}, remote ${remotePeer.toString()}`)
  }

  private verified ({ expected, actual }: VerifiedPeer): void {
    const text = expected == null
      ? `${actual.toString()} (the address names no /p2p/ id: not verified)`
      : `${actual.toString()} matches the dialed id`
    this.end('verify-peer', { expected: expected?.toString() ?? null, actual: actual.toString(), matched: expected == null ? null : true }, text)
  }

  /** A stage ended: print it with the time since the dial began and its own duration. */
  private end (stage: Stage, fields: Record<string, unknown>, text: string): void {
    const now = performance.now()
    const took = now - this.stageStarted
    this.stageStarted = now
    if (this.quiet) return
    this.out.emit('stage', { stage, at: round(now - this.started), ms: round(took), ...fields },
      `${pad(ms(now - this.started))}${stage.padEnd(17)} ${text}  (${ms(took)} ms)`)
  }

  /** A failure in `stage`, with what was expected when the peer was wrong. */
  fail (stage: Stage, err: unknown): void {
    const fields: Record<string, unknown> = { stage, at: round(this.elapsed()) }

    if (stage === 'verify-peer' || (err as Error)?.name === 'UnexpectedPeerError') {
      const { expected, actual } = err as { expected?: PeerId, actual?: PeerId }
      fields.expected = (expected ?? this.expected)?.toString() ?? null
      fields.actual = actual?.toString() ?? null
      fields.matched = false
    }

    if (stage === 'negotiate-muxer' && this.encryption === PLAINTEXT && !this.legacy && causeChain(err).some(link => link.name === 'UnexpectedEOFError')) {
      fields.hint = 'the remote hung up after the plaintext exchange, as js-libp2p 0.28/0.29 do on the spec form: try --legacy'
    }

    this.out.failure(fields, err, pad(ms(this.elapsed())))

    if (fields.hint != null && !this.out.json) {
      this.out.emit('hint', {}, `${' '.repeat(16)}hint: ${String(fields.hint)}`)
    }
  }
}

function offer ({ exchanges, ciphers, hashes }: SecioOffer): string {
  return `exchanges ${exchanges.join(',')}  ciphers ${ciphers.join(',')}  hashes ${hashes.join(',')}`
}

function pad (text: string): string {
  return text === '' ? ' '.repeat(14) : `${text.padStart(9)} ms  `
}

function round (value: number): number {
  return Math.round(value * 10) / 10
}
