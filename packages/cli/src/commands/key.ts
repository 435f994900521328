import { EXIT } from '../exit-codes.js'
import { UsageError } from '../errors.js'
import { integer, parse } from '../args.js'
import { KEY_TYPES, newIdentity, readIdentity, toIdentityFile, writeIdentity } from '../identity.js'
import type { KeyTypeName } from '../identity.js'
import type { Output } from '../output.js'

const KEY_OPTIONS = {
  type: { type: 'string' },
  bits: { type: 'string' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false }
} as const

/** `uplink key new [--type T] [--out FILE]` and `uplink key show FILE`. */
export async function key (args: string[], makeOutput: (json: boolean) => Output): Promise<number> {
  const [action, ...rest] = args
  const { values, positionals } = parse(rest, KEY_OPTIONS, action === 'show' ? 1 : 0)
  const out = makeOutput(values.json === true)

  if (action === 'new') {
    const type = (values.type ?? 'ed25519').toLowerCase()

    if (!(KEY_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`--type must be one of ${KEY_TYPES.join(', ')}, got "${values.type}"`)
    }

    const identity = await newIdentity(type as KeyTypeName, values.bits == null ? 2048 : integer('bits', values.bits, 2048))

    if (values.out != null) {
      try {
        await writeIdentity(values.out, identity, values.force === true)
      } catch (err: any) {
        throw new UsageError(err.code === 'EEXIST' ? `${values.out} exists; pass --force to replace it` : `cannot write ${values.out}: ${err.message}`)
      }
    }

    const file = toIdentityFile(identity)
    out.emit('key', { type: file.type, peerId: file.peerId, ...(values.out == null ? { privateKey: file.privateKey } : { file: values.out }) },
      values.out == null
        ? JSON.stringify(file, null, 2)
        : `${file.peerId} (${file.type}) written to ${values.out}`)
    return EXIT.OK
  }

  if (action === 'show') {
    const path = positionals[0]
    if (path == null) throw new UsageError('uplink key show FILE')
    const identity = await readIdentity(path)
    out.emit('key', { type: identity.privateKey.type, peerId: identity.peerId.toString(), file: path }, `${identity.peerId.toString()} (${identity.privateKey.type})`)
    return EXIT.OK
  }

  throw new UsageError('uplink key new [--type ed25519|secp256k1|rsa] [--out FILE] | uplink key show FILE')
}
