import { REPLAY_WINDOW } from '../constants.js'

/**
 * Ciphertexts shorter than this are not remembered. Two honest frames of n
 * bytes are equal by chance with probability 2^-8n (a 1-byte frame repeats
 * every 256 frames or so), so only frames long enough that an equal one means
 * a replay are checked.
 */
export const MIN_GUARDED_CIPHERTEXT = 8

/** A frame is known by the first 16 bytes of its MAC (HMAC output: uniform, and keyed, so no one can aim at a slot). */
const WORDS = 4

/**
 * Remembers the MACs of the last `window` frames of one direction and refuses
 * a frame whose MAC is among them. Honest SECIO peers never send the same
 * ciphertext twice (one keystream per direction for the whole connection), so
 * an equal MAC means the same frame was put on the wire again.
 *
 * Fixed memory: a ring of `window` MACs in arrival order plus an open-
 * addressing index over it (linear probing, backward-shift deletion), so a
 * check costs the same whatever the window.
 */
export class ReplayGuard {
  readonly window: number
  private readonly macs: Uint32Array
  private readonly index: Uint16Array
  private readonly mask: number
  private next = 0
  private size = 0

  constructor (window = REPLAY_WINDOW) {
    if (!Number.isInteger(window) || window < 1 || window > 0xfffe) {
      throw new RangeError(`a replay window holds 1..65534 frames, not ${window}`)
    }

    this.window = window
    this.macs = new Uint32Array(window * WORDS)
    // at most half full, so probes stay short
    this.index = new Uint16Array(2 ** Math.ceil(Math.log2(window * 2)))
    this.mask = this.index.length - 1
  }

  /** Remembers the frame's MAC; false if it is one of the last `window` remembered. */
  admit (mac: Uint8Array): boolean {
    const a = word(mac, 0)
    const b = word(mac, 4)
    const c = word(mac, 8)
    const d = word(mac, 12)

    if (this.slotOf(a, b, c, d) >= 0) {
      return false
    }

    if (this.size === this.window) {
      this.forget(this.next)
    } else {
      this.size++
    }

    const at = this.next * WORDS
    this.macs[at] = a
    this.macs[at + 1] = b
    this.macs[at + 2] = c
    this.macs[at + 3] = d

    let slot = a & this.mask
    while (this.index[slot] !== 0) slot = (slot + 1) & this.mask
    this.index[slot] = this.next + 1

    this.next = (this.next + 1) % this.window
    return true
  }

  private slotOf (a: number, b: number, c: number, d: number): number {
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.index[slot] ?? 0
      if (entry === 0) return -1

      const at = (entry - 1) * WORDS
      if (this.macs[at] === a && this.macs[at + 1] === b && this.macs[at + 2] === c && this.macs[at + 3] === d) return slot
    }
  }

  /** Drops ring entry `ring` from the index, shifting later entries of its probe run back into the hole. */
  private forget (ring: number): void {
    const at = ring * WORDS
    let hole = this.slotOf(this.macs[at] ?? 0, this.macs[at + 1] ?? 0, this.macs[at + 2] ?? 0, this.macs[at + 3] ?? 0)
    this.index[hole] = 0

    for (let slot = (hole + 1) & this.mask; this.index[slot] !== 0; slot = (slot + 1) & this.mask) {
      const entry = this.index[slot] ?? 0
      const home = (this.macs[(entry - 1) * WORDS] ?? 0) & this.mask

      // the entry may fill the hole if the hole lies on its probe path (between its home and where it is)
      if (((slot - home) & this.mask) >= ((slot - hole) & this.mask)) {
        this.index[hole] = entry
        this.index[slot] = 0
        hole = slot
      }
    }
  }
}

function word (bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0
}
