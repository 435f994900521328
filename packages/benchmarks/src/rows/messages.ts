// Small messages: one stream on one connection echoes many tiny writes (one `send()` each), with a
// window of messages in flight, as an application sending small messages does. The figure is
// messages echoed per second; per-message costs (frames, calls, syscalls, MACs) dominate, not bytes.
import { dialerSide, listenerSide, withSides } from '../run/children.js'
import { describe } from '../peer/stack.js'
import type { Stack } from '../peer/stack.js'
import type { Row } from './row.js'

function messages (id: string, stack: Stack, reference = false): Row {
  return {
    id,
    group: 'messages',
    label: describe(stack),
    unit: 'messages/s',
    reference,
    measure: async (sizes) => withSides([listenerSide(stack, 'echo'), dialerSide(stack)], async ([listener, dialer]) => {
      const bytes = sizes.messages * sizes.messageBytes
      const result = await dialer!.command('dial-echo', { addr: listener!.addr, bytes, chunk: sizes.messageBytes, window: sizes.messageWindow * sizes.messageBytes })
      return { value: sizes.messages / (Number(result.ms) / 1000), intact: result.intact === true && result.bytes === bytes }
    })
  }
}

export const MESSAGE_ROWS: Row[] = [
  messages('messages-uplink-secio', { system: 'uplink', crypto: 'secio', cipher: 'AES-256', hash: 'SHA256' }),
  messages('messages-uplink-noise', { system: 'uplink', crypto: 'noise' }, true),
  messages('messages-uplink-plaintext', { system: 'uplink', crypto: 'plaintext' }, true)
]
