import { parseArgs } from 'node:util'
import { UsageError } from './errors.js'
import { CRYPTO_NAMES, MUXER_NAMES, parseList } from './modules.js'
import type { CryptoName, MuxerName } from './modules.js'
import type { ParseArgsConfig } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>

/** Flags every connecting verb takes. */
export const CONNECTION_OPTIONS = {
  crypto: { type: 'string' },
  muxer: { type: 'string' },
  key: { type: 'string' },
  legacy: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false }
} as const satisfies Options

export const DEFAULT_CRYPTO: CryptoName[] = ['secio', 'noise', 'tls']
export const DEFAULT_MUXER: MuxerName[] = ['yamux', 'mplex']
export const DEFAULT_TIMEOUT = 10_000

export interface ConnectionFlags {
  crypto: CryptoName[]
  muxer: MuxerName[]
  key?: string
  legacy: boolean
  timeout: number
  json: boolean
}

/** Parses a verb's arguments strictly: unknown flags and stray positionals are usage errors. */
export function parse<T extends Options> (args: string[], options: T, positionals = 0): { values: ReturnType<typeof parseArgs<{ options: T, allowPositionals: true }>>['values'], positionals: string[] } {
  let parsed

  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err: any) {
    throw new UsageError(err.message)
  }

  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals] ?? ''}"`)
  }

  return { values: parsed.values, positionals: parsed.positionals }
}

export function connectionFlags (values: { crypto?: string, muxer?: string, key?: string, legacy?: boolean, timeout?: string, json?: boolean }): ConnectionFlags {
  return {
    crypto: values.crypto == null ? DEFAULT_CRYPTO : parseList('crypto', values.crypto, CRYPTO_NAMES),
    muxer: values.muxer == null ? DEFAULT_MUXER : parseList('muxer', values.muxer, MUXER_NAMES),
    key: values.key,
    legacy: values.legacy === true,
    timeout: values.timeout == null ? DEFAULT_TIMEOUT : integer('timeout', values.timeout, 1),
    json: values.json === true
  }
}

export function integer (flag: string, value: string, min = 0): number {
  const n = Number(value)

  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${flag} must be an integer of at least ${min}, got "${value}"`)
  }

  return n
}
