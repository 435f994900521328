export { nextDrain } from './next-drain.js'
export type { DrainSource } from './next-drain.js'
