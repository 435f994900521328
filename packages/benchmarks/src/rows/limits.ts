// The crypto limit, measured in the same run in a peer process of its own (one core).
import { dialerSide, withSides } from '../run/children.js'
import type { SealName } from '../peer/seal-limit.js'
import type { Row } from './row.js'

function seal (id: string, name: SealName): Row {
  return {
    id,
    group: 'limit',
    label: `${name} seal, 64 KiB frames, one core`,
    unit: 'MB/s',
    reference: true,
    measure: async (sizes) => withSides([dialerSide({ system: 'tcp' })], async ([peer]) => {
      const result = await peer!.command('seal', { name, bytes: sizes.sealBytes })
      return { value: Number(result.mbps), intact: true }
    })
  }
}

export const LIMIT_ROWS: Row[] = [
  seal('limit-secio-aes256-sha256', 'secio AES-256/SHA256'),
  seal('limit-secio-aes128-sha256', 'secio AES-128/SHA256'),
  seal('limit-secio-aes256-sha512', 'secio AES-256/SHA512'),
  seal('limit-noise', 'noise ChaCha20-Poly1305')
]
