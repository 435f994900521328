import { REPLAY_WINDOW } from '../constants.js'

/**
 * Ciphertexts shorter than this are not remembered. Two honest frames of n
 * bytes are equal by chance with probability 2^-8n (a 1-byte frame repeats
 * every 256 frames or so), so only frames long enough that an equal one means
 * a replay are checked.
 */
export const MIN_GUARDED_CIPHERTEXT = 8

/**
 * Remembers the MACs of the last `window` frames of one direction and refuses
 * a frame whose MAC is among them. Honest SECIO peers never send the same
 * ciphertext twice (one keystream per direction for the whole connection), so
 * an equal MAC means the same frame was put on the wire again.
 *
 * A frame is known by the first 8 bytes of its MAC: HMAC output, uniform and
 * keyed, so two different frames share them with probability 2^-64 (the same
 * as two honest 8-byte ciphertexts being equal) and no one can aim at a slot.
 *
 * Fixed memory: a ring of `window` MAC prefixes in arrival order plus an
 * open-addressing index over it (linear probing, backward-shift deletion), so
 * a check costs the same whatever the window.
 */
export class ReplayGuard {
  readonly window: number
  /** Ring of MAC prefixes, two words each, oldest at `next` once full. */
  private readonly macs: Uint32Array
  /** Index slot of each ring entry, so the oldest can be dropped without a search. */
  private readonly slots: Uint16Array
  /** Open addressing over ring entries: entry + 1, 0 = free; at most half full. */
  private readonly index: Uint16Array
  private readonly mask: number
  private next = 0
  private size = 0

  constructor (window = REPLAY_WINDOW) {
    if (!Number.isInteger(window) || window < 1 || window > 0x7fff) {
      throw new RangeError(`a replay window holds 1..32767 frames, not ${window}`)
    }

    this.window = window
    this.macs = new Uint32Array(window * 2)
    this.slots = new Uint16Array(window)
    this.index = new Uint16Array(2 ** Math.ceil(Math.log2(window * 2)))
    this.mask = this.index.length - 1
  }

  /** Remembers the frame's MAC; false if it is one of the last `window` remembered. */
  admit (mac: Uint8Array): boolean {
    const hi = word(mac, 0)
    const lo = word(mac, 4)
    let slot = hi & this.mask

    for (let entry = this.index[slot] ?? 0; entry !== 0; entry = this.index[slot] ?? 0) {
      if (this.macs[(entry - 1) * 2] === hi && this.macs[(entry - 1) * 2 + 1] === lo) return false
      slot = (slot + 1) & this.mask
    }

    if (this.size === this.window) {
      this.forget(this.next)
      // the shift may have moved entries of this probe run: find the free slot again
      slot = hi & this.mask
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask
    } else {
      this.size++
    }

    this.macs[this.next * 2] = hi
    this.macs[this.next * 2 + 1] = lo
    this.index[slot] = this.next + 1
    this.slots[this.next] = slot
    this.next = (this.next + 1) % this.window
    return true
  }

  /** Drops ring entry `ring` from the index, shifting later entries of its probe run back into the hole. */
  private forget (ring: number): void {
    let hole = this.slots[ring] ?? 0
    this.index[hole] = 0

    for (let slot = (hole + 1) & this.mask; this.index[slot] !== 0; slot = (slot + 1) & this.mask) {
      const entry = this.index[slot] ?? 0
      const home = (this.macs[(entry - 1) * 2] ?? 0) & this.mask

      // the entry may fill the hole if the hole lies on its probe path (between its home and where it is)
      if (((slot - home) & this.mask) >= ((slot - hole) & this.mask)) {
        this.index[hole] = entry
        this.slots[entry - 1] = hole
        this.index[slot] = 0
        hole = slot
      }
    }
  }
}

function word (bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0
}
