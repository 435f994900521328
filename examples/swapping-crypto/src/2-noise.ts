// Step 2: noise, js-libp2p's default — the one line that changed is the import and the call below.
import { noise } from '@chainsafe/libp2p-noise'
import { talk } from './talk.js'

await talk(noise())
