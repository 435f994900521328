import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { MacMismatchError, ReplayedFrameError } from '../errors.js'
import { lengthPrefix } from '../handshake/framed-io.js'
import { ownedBytes } from '../owned-bytes.js'
import { MIN_GUARDED_CIPHERTEXT, ReplayGuard } from './replay-guard.js'
import type { CipherName, HashName } from '../handshake/algorithms.js'
import type { DirectionKeys } from '../handshake/keys.js'
import type { Cipher, Decipher, Hmac } from 'node:crypto'

const CTR_MODE: Record<CipherName, string> = { 'AES-128': 'aes-128-ctr', 'AES-256': 'aes-256-ctr' }
const HMAC_HASH: Record<HashName, string> = { SHA256: 'sha256', SHA512: 'sha512' }
const MAC_LENGTH: Record<HashName, number> = { SHA256: 32, SHA512: 64 }

export function macLength (hash: HashName): number {
  return MAC_LENGTH[hash]
}

/**
 * Frames up to this size (prefix, ciphertext and MAC) are put in one buffer,
 * so they leave in one socket write instead of three or more; the copy costs
 * less than the calls it saves. Bigger frames keep their pieces: for them a
 * copy costs more than a call.
 */
export const ONE_BUFFER_FRAME = 16 * 1024

/**
 * Small writes are copied into a staging buffer of this size and encrypted
 * (and MACed) together: a muxer's frames are tens of bytes, and a cipher or
 * HMAC call costs far more than that many bytes. Under 4 KiB, so it comes
 * from Node's buffer pool; it is dropped with its frame.
 */
const STAGING = 2048
const STAGED_WRITE = STAGING / 2

/**
 * The sending half of a SECIO channel: AES-CTR with ONE keystream for the life
 * of the connection (the counter never resets between frames), then an HMAC
 * over the ciphertext only. Both are synchronous `node:crypto` calls, so
 * frames are sealed in the order they are written.
 *
 * A frame may be built from several writes: each is encrypted (and fed to the
 * frame's HMAC) when it is added, so the caller's buffer is free at once, and
 * `finish` frames everything added since the last frame. The keystream does
 * not care where frames are cut: encrypting pieces one by one gives the bytes
 * encrypting them joined would.
 */
export class FrameSealer {
  private readonly cipher: Cipher
  private readonly hash: string
  private readonly macKey: Uint8Array
  readonly macLength: number
  /** The frame being built: its MAC so far, its ciphertext, small writes not encrypted yet; none while no frame is open. */
  private mac?: Hmac
  private ciphertext?: Uint8Array[]
  private staging?: Buffer
  private staged = 0
  private added = 0

  constructor (cipher: CipherName, hash: HashName, keys: DirectionKeys) {
    this.cipher = createCipheriv(CTR_MODE[cipher], keys.cipherKey, keys.iv)
    this.hash = HMAC_HASH[hash]
    // kept as long as the connection: not a view into the stretcher's pooled output
    this.macKey = ownedBytes(keys.macKey)
    this.macLength = MAC_LENGTH[hash]
  }

  /** Plaintext bytes added to the frame not yet finished. */
  get pending (): number {
    return this.added
  }

  /**
   * Adds `plaintext` as the next bytes of the frame being built (opening one
   * if none is): encrypted now, or copied to be encrypted with the small
   * writes around it. Either way the caller's buffer is not kept.
   */
  add (plaintext: Uint8Array | Uint8ArrayList): void {
    for (const chunk of plaintext instanceof Uint8Array ? [plaintext] : plaintext) {
      if (chunk.byteLength > STAGED_WRITE) {
        this.encryptStaged()
        this.encrypt(chunk)
        continue
      }

      if (this.staged + chunk.byteLength > STAGING) {
        this.encryptStaged()
      }

      this.staging ??= Buffer.allocUnsafe(STAGING)
      this.staging.set(chunk, this.staged)
      this.staged += chunk.byteLength
    }

    this.added += plaintext.byteLength
  }

  private encrypt (plaintext: Uint8Array): void {
    const ciphertext = this.cipher.update(plaintext)
    ;(this.mac ??= createHmac(this.hash, this.macKey)).update(ciphertext)
    ;(this.ciphertext ??= []).push(ciphertext)
  }

  private encryptStaged (): void {
    if (this.staging != null && this.staged > 0) {
      // the cipher's output is a new buffer: the staging buffer can take the next writes at once
      this.encrypt(this.staging.subarray(0, this.staged))
      this.staged = 0
    }
  }

  /**
   * The wire frame of everything added since the last one:
   * `uint32_be(L) ‖ ciphertext ‖ HMAC(ciphertext)`. With nothing added, an
   * empty frame (a MAC only), as `seal` of no bytes.
   */
  finish (): Uint8ArrayList {
    this.encryptStaged()
    const digest = (this.mac ?? createHmac(this.hash, this.macKey)).digest()
    const length = this.added + this.macLength
    const pieces = this.ciphertext ?? []
    this.mac = undefined
    this.ciphertext = undefined
    this.staging = undefined
    this.added = 0

    if (length + 4 > ONE_BUFFER_FRAME) {
      return new Uint8ArrayList(lengthPrefix(length), ...pieces, digest)
    }

    // pooled memory, but a plain Uint8Array: a Buffer's `slice` would be a view, not the copy callers expect
    const pooled = Buffer.allocUnsafe(4 + length)
    const frame = new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.byteLength)
    pooled.writeUInt32BE(length, 0)
    let offset = 4
    for (const piece of pieces) {
      frame.set(piece, offset)
      offset += piece.byteLength
    }
    frame.set(digest, offset)
    return new Uint8ArrayList(frame)
  }

  /** One wire frame of `plaintext` (after whatever was added before it). */
  seal (plaintext: Uint8Array | Uint8ArrayList): Uint8ArrayList {
    this.add(plaintext)
    return this.finish()
  }
}

/**
 * The receiving half: checks the MAC in constant time, then that the frame is
 * not a replay of a recent one, before decrypting, so a tampered or replayed
 * frame never advances the keystream nor yields a byte.
 *
 * A frame may be held in pieces (views into the reads it arrived in): each
 * piece goes to the HMAC, and once the frame has passed, to the decipher, as
 * it is, so a frame is never copied into one buffer on the way in.
 */
export class FrameOpener {
  private readonly decipher: Decipher
  private readonly hash: string
  private readonly macKey: Uint8Array
  private readonly replays: ReplayGuard
  readonly macLength: number

  constructor (cipher: CipherName, hash: HashName, keys: DirectionKeys) {
    this.decipher = createDecipheriv(CTR_MODE[cipher], keys.cipherKey, keys.iv)
    this.hash = HMAC_HASH[hash]
    // kept as long as the connection: not a view into the stretcher's pooled output
    this.macKey = ownedBytes(keys.macKey)
    this.macLength = MAC_LENGTH[hash]
    this.replays = new ReplayGuard()
  }

  /** Whether the frame (payload after the length prefix) carries a valid MAC under these keys. */
  verifies (frame: Uint8Array | Uint8ArrayList): boolean {
    if (frame.byteLength < this.macLength) {
      return false
    }

    const split = frame.byteLength - this.macLength
    const expected = createHmac(this.hash, this.macKey)
    forEachPiece(frame, split, piece => { expected.update(piece) })
    // a view, unless the MAC straddles two reads
    return timingSafeEqual(expected.digest(), frame.subarray(split))
  }

  /** Opens a frame held in one buffer, as the handshake reads it. */
  open (frame: Uint8Array): Uint8Array {
    return this.openPieces(frame).subarray()
  }

  /** Opens a frame held in pieces; the plaintext comes in as many pieces. */
  openPieces (frame: Uint8Array | Uint8ArrayList): Uint8ArrayList {
    if (!this.verifies(frame)) {
      throw new MacMismatchError(`frame of ${frame.byteLength} bytes failed MAC verification`)
    }

    const split = frame.byteLength - this.macLength

    if (split >= MIN_GUARDED_CIPHERTEXT && !this.replays.admit(frame.subarray(split))) {
      throw new ReplayedFrameError(`frame of ${frame.byteLength} bytes repeats one of the last ${this.replays.window} frames`)
    }

    const plaintext = new Uint8ArrayList()
    forEachPiece(frame, split, piece => { plaintext.append(this.decipher.update(piece)) })
    return plaintext
  }
}

/** Calls `use` on each piece of the first `end` bytes of `frame`, in order. */
function forEachPiece (frame: Uint8Array | Uint8ArrayList, end: number, use: (piece: Uint8Array) => void): void {
  let offset = 0

  for (const piece of frame instanceof Uint8Array ? [frame] : frame) {
    if (offset >= end) return
    use(offset + piece.byteLength <= end ? piece : piece.subarray(0, end - offset))
    offset += piece.byteLength
  }
}
