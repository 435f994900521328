/**
 * Where each muxer frame of a recorded session starts and ends (after the
 * multistream-select messages before it), so the fuzzer can replay whole
 * frames and runs of frames as well as damage bytes.
 */
import type { FuzzMuxer } from './recorded-upgrade.js'

export interface FrameSpan { start: number, end: number }

const YAMUX_HEADER = 12
const YAMUX_DATA = 0

/** The frames of `bytes` from `offset` on, up to the first one that does not fit. */
export function muxerFrames (muxer: FuzzMuxer, bytes: Uint8Array, offset: number): FrameSpan[] {
  const frames: FrameSpan[] = []

  for (let start = offset; start < bytes.byteLength;) {
    const end = muxer === 'yamux' ? yamuxFrameEnd(bytes, start) : mplexFrameEnd(bytes, start)
    if (end == null || end > bytes.byteLength) break
    frames.push({ start, end })
    start = end
  }

  return frames
}

/** version, type, flags (2), stream id (4), length (4); only a data frame's length counts body bytes. */
function yamuxFrameEnd (bytes: Uint8Array, start: number): number | undefined {
  if (start + YAMUX_HEADER > bytes.byteLength) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, YAMUX_HEADER)
  return start + YAMUX_HEADER + (view.getUint8(1) === YAMUX_DATA ? view.getUint32(8) : 0)
}

/** varint header (stream id and type), varint length, body. */
function mplexFrameEnd (bytes: Uint8Array, start: number): number | undefined {
  const header = varintEnd(bytes, start)
  if (header == null) return undefined
  let length = 0
  for (let at = header, shift = 0; at < bytes.byteLength; at++, shift += 7) {
    const byte = bytes[at] ?? 0
    length += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return at + 1 + length
  }
  return undefined
}

function varintEnd (bytes: Uint8Array, start: number): number | undefined {
  for (let at = start; at < bytes.byteLength; at++) {
    if (((bytes[at] ?? 0) & 0x80) === 0) return at + 1
  }
  return undefined
}
