import { InvalidParametersError } from '@libp2p/interface'
import { NoCommonAlgorithmError } from '../errors.js'

/** ECDH curves SECIO names, and what `node:crypto` and `@libp2p/crypto` call them. */
export const EXCHANGES = ['P-256', 'P-384', 'P-521'] as const
export const CIPHERS = ['AES-256', 'AES-128'] as const
export const HASHES = ['SHA256', 'SHA512'] as const

export type ExchangeName = typeof EXCHANGES[number]
export type CipherName = typeof CIPHERS[number]
export type HashName = typeof HASHES[number]

/** The lists a side advertises, most preferred first. */
export interface Preferences {
  exchanges: ExchangeName[]
  ciphers: CipherName[]
  hashes: HashName[]
}

/** What both sides settle on. */
export interface Suite {
  exchange: ExchangeName
  cipher: CipherName
  hash: HashName
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  exchanges: [...EXCHANGES],
  ciphers: [...CIPHERS],
  hashes: [...HASHES]
})

/** Only names this implementation runs may be advertised (the legacy JS once offered Blowfish it could not run). */
export function checkPreferences (preferences: Partial<Preferences> = {}): Preferences {
  return {
    exchanges: checkList('exchanges', preferences.exchanges ?? DEFAULT_PREFERENCES.exchanges, EXCHANGES),
    ciphers: checkList('ciphers', preferences.ciphers ?? DEFAULT_PREFERENCES.ciphers, CIPHERS),
    hashes: checkList('hashes', preferences.hashes ?? DEFAULT_PREFERENCES.hashes, HASHES)
  }
}

function checkList<T extends string> (field: string, list: readonly string[], supported: readonly T[]): T[] {
  if (list.length === 0) {
    throw new InvalidParametersError(`secio ${field} must name at least one algorithm`)
  }

  for (const name of list) {
    if (!(supported as readonly string[]).includes(name)) {
      throw new InvalidParametersError(`secio cannot run ${field} "${name}"; supported: ${supported.join(',')}`)
    }
  }

  return [...new Set(list)] as T[]
}

/**
 * go/js `selectBest`: the side that wins the order (`order > 0`) has its list
 * walked first, so both sides pick the same entry. Names are compared exactly,
 * case-sensitive, as on the wire. The message opens with the words go-libp2p
 * and the legacy JS use, so logs from either side read alike.
 */
export function selectBest (order: number, ours: readonly string[], theirs: readonly string[]): string {
  const [first, second] = order < 0 ? [theirs, ours] : [ours, theirs]
  const chosen = first.find(name => second.includes(name))

  if (chosen == null) {
    throw new NoCommonAlgorithmError(`No algorithms in common: ours ${ours.join(',')} / theirs ${theirs.join(',')}`)
  }

  return chosen
}

/** The comma-separated list as the wire carries it; go splits on "," without trimming. */
export function splitList (list: string | undefined): string[] {
  return list == null || list === '' ? [] : list.split(',')
}
