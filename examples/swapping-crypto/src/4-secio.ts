// Step 4: SECIO (/secio/1.0.0), for networks that still speak it.
import { secio } from '@uplink/secio'
import { talk } from './talk.js'

await talk(secio())
