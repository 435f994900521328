import { UnexpectedPeerError } from '@libp2p/interface'
import { MAX_HANDSHAKE_MESSAGE_LENGTH } from '../constants.js'
import { SecioStream } from '../framing/secio-stream.js'
import { confirmKeys } from './confirm.js'
import { createExchange, readExchange, verifyExchange } from './exchange.js'
import { framedIo } from './framed-io.js'
import { carriesFullWidthMark, markedNonce } from './full-width-mark.js'
import { localIdentityProtobuf } from './identity.js'
import { computeOrder, createProposal, readProposal, selectSuite } from './proposal.js'
import { computeSharedSecret, generateEphemeral } from './secret.js'
import { reportProgress } from '../progress.js'
import type { Preferences, Suite } from './algorithms.js'
import type { EphemeralKeyFactory } from './secret.js'
import type { ExchangeSigner } from './signer.js'
import type { SecioProgressOptions } from '../progress.js'
import type { AbortOptions, Logger, MessageStream, PeerId, PrivateKey } from '@libp2p/interface'

export interface HandshakeInit extends AbortOptions, SecioProgressOptions {
  privateKey: PrivateKey
  /** Signs our Exchange with `privateKey` (default: `privateKey` itself); see `identitySigner`. */
  signer?: ExchangeSigner
  preferences: Preferences
  /** When known (we dialed it), the peer must prove this identity before we send our Exchange. */
  expectedPeer?: PeerId
  maxFrameLength: number
  maxSendChunk: number
  leadingZeroWait: number
  log: Logger
  /** Fixed randomness for reproducible transcripts in tests, used as it is (no full-width mark unless it has one). */
  nonce?: Uint8Array
  createEphemeral?: EphemeralKeyFactory
}

export interface HandshakeResult {
  connection: SecioStream
  remotePeer: PeerId
  suite: Suite
}

/**
 * The SECIO handshake, start to finish, over the raw stream. Every phase is
 * "send mine, then read theirs", so two instances never wait on each other:
 * Propose → (identity check, order, suite) → Exchange → (signature, ECDH,
 * keys) → encrypted nonce echo.
 */
export async function performHandshake (stream: MessageStream, init: HandshakeInit): Promise<HandshakeResult> {
  const { log } = init
  // an operation the caller has already given up on sends nothing
  init.signal?.throwIfAborted()
  const io = framedIo(stream)
  const limits = { max: MAX_HANDSHAKE_MESSAGE_LENGTH }

  const local = createProposal(localIdentityProtobuf(init.privateKey), init.nonce ?? markedNonce(), init.preferences)
  await io.write(local.bytes, init)
  const remote = readProposal(await io.read(limits, init))
  const remotePeer = remote.identity.peerId
  log.trace('read Propose from %p', remotePeer)

  if (init.expectedPeer != null && !init.expectedPeer.equals(remotePeer)) {
    throw Object.assign(new UnexpectedPeerError(`expected peer ${init.expectedPeer.toString()} but the remote's SECIO key is ${remotePeer.toString()}`), {
      expected: init.expectedPeer,
      actual: remotePeer
    })
  }

  const order = computeOrder(local, remote)
  const suite = selectSuite(order, local, remote)
  const remoteMarked = carriesFullWidthMark(remote.nonce)
  log.trace('order %d, selected %s / %s / %s; the peer offered %s / %s / %s%s', order, suite.exchange, suite.cipher, suite.hash,
    remote.exchanges, remote.ciphers, remote.hashes, remoteMarked ? ' (an Uplink nonce)' : '')
  reportProgress(init, log, 'secio:proposals', {
    local: { exchanges: [...local.preferences.exchanges], ciphers: [...local.preferences.ciphers], hashes: [...local.preferences.hashes] },
    remote: { exchanges: remote.exchanges, ciphers: remote.ciphers, hashes: remote.hashes },
    order,
    selected: suite,
    remoteMarked
  })

  const ephemeral = await (init.createEphemeral ?? generateEphemeral)(suite.exchange)
  let secret: Uint8Array

  try {
    await io.write(await createExchange(init.signer ?? init.privateKey, local, remote, ephemeral.key), init)
    const exchange = readExchange(await io.read(limits, init), suite.exchange)
    await verifyExchange(local, remote, exchange)
    secret = await computeSharedSecret(ephemeral, exchange.ephemeralKey)
  } finally {
    // nothing past the secret needs the private scalar; confirmKeys wipes the secret once it is stretched
    ephemeral.wipe()
  }

  const { channel, keying } = await confirmKeys(io, {
    ...init,
    suite,
    order,
    secret,
    localNonce: local.nonce,
    remoteNonce: remote.nonce,
    remoteMarked
  })
  reportProgress(init, log, 'secio:keys-confirmed', keying)
  log('secio handshake with %p complete: %s, %s, %s', remotePeer, suite.exchange, suite.cipher, suite.hash)

  const { stream: raw, leftover } = io.unwrap()

  return {
    connection: new SecioStream(raw, { ...channel, maxFrameLength: init.maxFrameLength, maxSendChunk: init.maxSendChunk, leftover }),
    remotePeer,
    suite
  }
}
