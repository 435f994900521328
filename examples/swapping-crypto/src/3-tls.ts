// Step 3: TLS 1.3 (/tls/1.0.0), the channel the tutorial names as SECIO's successor.
import { tls } from '@libp2p/tls'
import { talk } from './talk.js'

await talk(tls())
