// Step 1: /plaintext/2.0.0 — peers exchange keys, nothing is encrypted (tests and debugging only).
import { plaintext } from '@uplink/plaintext'
import { talk } from './talk.js'

await talk(plaintext())
