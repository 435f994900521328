export { handoverStream } from './handover-stream.js'
export type { HandoverInit } from './handover-stream.js'
export { streamEnded } from './stream-ended.js'
