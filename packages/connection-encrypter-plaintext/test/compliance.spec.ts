import suite from '@libp2p/interface-compliance-tests/connection-encryption'
import { defaultLogger } from '@libp2p/logger'
import { plaintext } from '../src/index.js'

describe('@libp2p/interface-compliance-tests connection-encryption', () => {
  suite({
    async setup (args) {
      if (args == null) {
        throw new Error('The compliance suite must pass a private key')
      }

      return plaintext()({
        privateKey: args.privateKey,
        logger: defaultLogger()
      })
    },
    async teardown () {}
  })
})
