import { REPLAY_WINDOW } from '../constants.js'

/**
 * Ciphertexts shorter than this are not remembered. Two honest frames of n
 * bytes are equal by chance with probability 2^-8n (a 1-byte frame repeats
 * every 256 frames or so), so only frames long enough that an equal one means
 * a replay are checked.
 */
export const MIN_GUARDED_CIPHERTEXT = 8

/**
 * Frames a new guard has room for. Most connections spend their life idle
 * after a handful of frames; the room doubles as frames arrive, up to the
 * window, so they do not carry a full window's memory they never use.
 */
export const INITIAL_REPLAY_CAPACITY = 16

/** A MAC prefix is 8 bytes, kept as four 16-bit halves. */
const HALVES = 4

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
 * Bounded memory, one typed array: a ring of MAC prefixes in arrival order,
 * then an open-addressing index over it (linear probing, backward-shift
 * deletion, at most half full), so a check costs the same whatever the window.
 * The ring starts at `INITIAL_REPLAY_CAPACITY` entries and doubles when full
 * until it holds `window`; it only drops the oldest frame from then on, so
 * every one of the last `window` frames is remembered whatever the capacity.
 */
export class ReplayGuard {
  readonly window: number
  /** `capacity` MAC prefixes (HALVES each, oldest at `next` once full), then the index: entry + 1, 0 = free. */
  private table: Uint16Array
  private capacity: number
  private mask: number
  private next = 0
  private size = 0

  constructor (window = REPLAY_WINDOW) {
    if (!Number.isInteger(window) || window < 1 || window > 0x7fff) {
      throw new RangeError(`a replay window holds 1..32767 frames, not ${window}`)
    }

    this.window = window
    this.capacity = Math.min(window, INITIAL_REPLAY_CAPACITY)
    this.mask = indexLength(this.capacity) - 1
    this.table = new Uint16Array(this.capacity * HALVES + this.mask + 1)
  }

  /** Frames remembered before the guard has to grow (or, at `window`, to forget the oldest). */
  get room (): number {
    return this.capacity
  }

  /** Remembers the frame's MAC; false if it is one of the last `window` remembered. */
  admit (mac: Uint8Array): boolean {
    const h0 = half(mac, 0)
    const h1 = half(mac, 2)
    const h2 = half(mac, 4)
    const h3 = half(mac, 6)

    if (this.remembers(h0, h1, h2, h3)) {
      return false
    }

    if (this.size === this.capacity) {
      if (this.capacity < this.window) {
        this.grow()
      } else {
        this.forget(this.next)
      }
    }

    if (this.size < this.capacity) {
      this.size++
    }

    const at = this.next * HALVES
    this.table[at] = h0
    this.table[at + 1] = h1
    this.table[at + 2] = h2
    this.table[at + 3] = h3
    this.table[this.freeSlot(h1)] = this.next + 1
    this.next = (this.next + 1) % this.capacity
    return true
  }

  /** Whether the ring holds this prefix (its second half `h1` is its index home). */
  private remembers (h0: number, h1: number, h2: number, h3: number): boolean {
    const base = this.capacity * HALVES

    for (let slot = h1 & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.table[base + slot] ?? 0
      if (entry === 0) return false
      const at = (entry - 1) * HALVES
      if (this.table[at] === h0 && this.table[at + 1] === h1 && this.table[at + 2] === h2 && this.table[at + 3] === h3) return true
    }
  }

  /** The first free index slot on the probe path of a prefix whose second half is `home`. */
  private freeSlot (home: number): number {
    const base = this.capacity * HALVES
    let slot = home & this.mask
    while (this.table[base + slot] !== 0) slot = (slot + 1) & this.mask
    return base + slot
  }

  /** Drops ring entry `ring` from the index, shifting later entries of its probe run back into the hole. */
  private forget (ring: number): void {
    const base = this.capacity * HALVES
    // an entry sits on its probe path, before any free slot: search from its home
    let hole = (this.table[ring * HALVES + 1] ?? 0) & this.mask
    while (this.table[base + hole] !== ring + 1) hole = (hole + 1) & this.mask
    this.table[base + hole] = 0

    for (let slot = (hole + 1) & this.mask; this.table[base + slot] !== 0; slot = (slot + 1) & this.mask) {
      const entry = this.table[base + slot] ?? 0
      const home = (this.table[(entry - 1) * HALVES + 1] ?? 0) & this.mask

      // the entry may fill the hole if the hole lies on its probe path (between its home and where it is)
      if (((slot - home) & this.mask) >= ((slot - hole) & this.mask)) {
        this.table[base + hole] = entry
        this.table[base + slot] = 0
        hole = slot
      }
    }
  }

  /**
   * Doubles the ring (up to `window`) and rebuilds the index. Only called on
   * a full ring below the window, which has never dropped an entry: entries
   * 0..size-1 are in arrival order and the next one goes at `size`.
   */
  private grow (): void {
    const old = this.table
    this.capacity = Math.min(this.window, this.capacity * 2)
    this.mask = indexLength(this.capacity) - 1
    this.table = new Uint16Array(this.capacity * HALVES + this.mask + 1)
    this.table.set(old.subarray(0, this.size * HALVES))

    for (let entry = 0; entry < this.size; entry++) {
      this.table[this.freeSlot(this.table[entry * HALVES + 1] ?? 0)] = entry + 1
    }

    this.next = this.size
  }
}

/** Index slots for `capacity` entries: a power of two, at least twice as many. */
function indexLength (capacity: number): number {
  return 2 ** Math.ceil(Math.log2(capacity * 2))
}

function half (bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0)
}
