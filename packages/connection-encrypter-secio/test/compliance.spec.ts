import suite from '@libp2p/interface-compliance-tests/connection-encryption'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { expect } from 'chai'
import { secio } from '../src/index.js'

describe('@libp2p/interface-compliance-tests connection-encryption (secio)', () => {
  suite({
    async setup (opts) {
      if (opts == null) {
        throw new Error('The compliance suite must pass a private key')
      }

      return secio()({ privateKey: opts.privateKey, logger: defaultLogger() })
    },
    async teardown () {}
  })

  it('the encrypter under test speaks /secio/1.0.0', async () => {
    const encrypter = secio()({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() })
    expect(encrypter.protocol).to.equal('/secio/1.0.0')
  })
})
