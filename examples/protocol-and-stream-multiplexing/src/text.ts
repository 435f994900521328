import type { Stream } from '@libp2p/interface'

/** Sends one text message and closes our writable end. */
export async function sendText (stream: Stream, text: string): Promise<void> {
  stream.send(new TextEncoder().encode(text))
  await stream.close()
}

/** Reads the whole stream as text. */
export async function readText (stream: Stream): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''

  for await (const chunk of stream) {
    text += decoder.decode(chunk.subarray(), { stream: true })
  }

  return text + decoder.decode()
}
