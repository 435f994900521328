import { deadlineSignal, isDeadlineExceeded } from '@uplink/deadline'
import { equals } from 'uint8arrays/equals'
import { NONCE_LENGTH } from '../constants.js'
import { MacMismatchError, NonceMismatchError } from '../errors.js'
import { FrameOpener, FrameSealer, macLength } from '../framing/frame-cipher.js'
import { deriveSessionKeys } from './keys.js'
import { secretWidths } from './secret.js'
import type { Suite } from './algorithms.js'
import type { FrameReadOptions, FramedIo } from './framed-io.js'
import type { SessionKeys } from './keys.js'
import type { SecioKeying } from '../progress.js'
import type { AbortOptions } from '@libp2p/interface'

/** The two halves of the channel once keys are confirmed. */
export interface Channel {
  sealer: FrameSealer
  opener: FrameOpener
}

export interface ConfirmedChannel {
  channel: Channel
  keying: SecioKeying
}

export interface ConfirmInit extends AbortOptions {
  suite: Suite
  order: 1 | -1
  secret: Uint8Array
  localNonce: Uint8Array
  remoteNonce: Uint8Array
  /** The peer's nonce carries Uplink's full-width mark: it keys with the full-width secret and waits for nobody. */
  remoteMarked: boolean
  /** How long the side that lost the order waits for the peer's nonce frame when the secret width is ambiguous. */
  leadingZeroWait: number
}

/**
 * Key confirmation: each side sends the PEER's nonce as its first encrypted
 * frame and expects its OWN back, as one frame of exactly 16 bytes (Go
 * compares the whole frame).
 *
 * When the secret starts with a zero byte, a go-libp2p peer keyed the channel
 * with the zero-stripped secret and everyone else with the full width. Go, the
 * legacy JS and Rust all send their nonce frame without waiting, so we read the
 * peer's frame first, see which width its MAC verifies under, and answer in
 * that width. Against another Uplink (which waits too) the side that lost the
 * order stops waiting after `leadingZeroWait` and uses full width; the winner
 * keeps waiting, so the two never disagree. The wait only bounds how long the
 * peer's frame takes to START (its 4-byte length): a frame that has started is
 * read whole, so the next read never begins inside it.
 *
 * An Uplink that sees Uplink's mark in the peer's nonce (`full-width-mark.ts`)
 * knows the peer keys with full width and sends at once, as the peer does on
 * seeing ours: no wait between two Uplinks.
 */
export async function confirmKeys (io: FramedIo, init: ConfirmInit): Promise<ConfirmedChannel> {
  const widths = secretWidths(init.secret)
  const leadingZeros = init.secret.byteLength - (widths[1] ?? init.secret).byteLength
  const channels = await Promise.all(widths.map(async secret => channelFor(init.suite, await deriveSessionKeys(init.suite, secret, init.order))))
  init.secret.fill(0)

  const [fullWidth] = channels
  if (fullWidth == null) throw new Error('no channel derived')
  const frameLength = NONCE_LENGTH + macLength(init.suite.hash)

  if (channels.length === 1 || init.remoteMarked) {
    await io.writeFramed(fullWidth.sealer.seal(init.remoteNonce), init)
    checkNonce(fullWidth, await readNonceFrame(io, frameLength, init), init.localNonce)
    return { channel: fullWidth, keying: { leadingZeros, secretWidth: 'full', settledBy: leadingZeros === 0 ? 'unambiguous-secret' : 'both-marked' } }
  }

  const waitLimit = init.order > 0 ? Infinity : init.leadingZeroWait
  const early = await readWithin(io, frameLength, waitLimit, init)
  const chosen = early == null ? fullWidth : channels.find(channel => channel.opener.verifies(early)) ?? fullWidth

  await io.writeFramed(chosen.sealer.seal(init.remoteNonce), init)
  checkNonce(chosen, early ?? await readNonceFrame(io, frameLength, init), init.localNonce)
  const keying: SecioKeying = {
    leadingZeros,
    secretWidth: chosen === fullWidth ? 'full' : 'zero-stripped',
    settledBy: early == null ? 'wait-expired' : 'peer-frame'
  }
  return { channel: chosen, keying }
}

function channelFor (suite: Suite, keys: SessionKeys): Channel {
  return {
    sealer: new FrameSealer(suite.cipher, suite.hash, keys.local),
    opener: new FrameOpener(suite.cipher, suite.hash, keys.remote)
  }
}

async function readNonceFrame (io: FramedIo, frameLength: number, options: FrameReadOptions): Promise<Uint8Array> {
  try {
    return await io.read({ max: frameLength, min: frameLength }, options)
  } catch (err: any) {
    if (err.name === 'InvalidFrameLengthError') {
      throw new NonceMismatchError(`the first encrypted frame must hold exactly our ${NONCE_LENGTH}-byte nonce (${frameLength} bytes with the MAC)`, { cause: err })
    }

    throw err
  }
}

/**
 * Reads the nonce frame unless no header arrives within `ms`; the handshake's
 * signal still ends everything. Only the header read is cut short: a frame
 * whose length is in is read to its end, however long past `ms` that takes.
 */
async function readWithin (io: FramedIo, frameLength: number, ms: number, options: AbortOptions): Promise<Uint8Array | undefined> {
  if (!Number.isFinite(ms)) {
    return readNonceFrame(io, frameLength, options)
  }

  const wait = deadlineSignal(options.signal, ms, 'the leading-zero wait')

  try {
    return await readNonceFrame(io, frameLength, { signal: options.signal, headerSignal: wait })
  } catch (err) {
    if (isDeadlineExceeded(wait) && err === wait.reason) {
      return undefined
    }

    throw err
  } finally {
    wait.clear()
  }
}

function checkNonce (channel: Channel, frame: Uint8Array, localNonce: Uint8Array): void {
  let nonce: Uint8Array

  try {
    nonce = channel.opener.open(frame)
  } catch (err) {
    throw new MacMismatchError('the nonce frame failed MAC verification: the peer derived different keys', { cause: err })
  }

  if (!equals(nonce, localNonce)) {
    throw new NonceMismatchError('the peer echoed a different nonce than ours')
  }
}
