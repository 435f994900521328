import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import { DEFAULT_SECIO_PREFERENCES, isSecioEncryptionDetails, secio } from '../src/index.js'

describe('SecioEncryptionDetails and its guard', () => {
  it('a real handshake\'s remoteExtensions pass the guard, with the suite both sides chose', async () => {
    const [a, b] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
    const [outbound, inbound] = multiaddrConnectionPair()
    const dialer = secio({ ciphers: ['AES-128'] })({ privateKey: a, logger: defaultLogger() })
    const answerer = secio()({ privateKey: b, logger: defaultLogger() })

    const [out] = await Promise.all([dialer.secureOutbound(outbound), answerer.secureInbound(inbound)])

    expect(isSecioEncryptionDetails(out.remoteExtensions)).to.equal(true)
    expect(out.remoteExtensions).to.deep.equal({ exchange: 'P-256', cipher: 'AES-128', hash: 'SHA256' })
  })

  it('refuses what other channels report, nothing, and names SECIO cannot run', () => {
    expect(isSecioEncryptionDetails(undefined)).to.equal(false)
    expect(isSecioEncryptionDetails({ webtransportCerthashes: [], streamMuxers: ['/yamux/1.0.0'] })).to.equal(false)
    expect(isSecioEncryptionDetails({ exchange: 'P-256', cipher: 'Blowfish', hash: 'SHA256' })).to.equal(false)
    expect(isSecioEncryptionDetails({ exchange: 'P-256', cipher: 'AES-256' })).to.equal(false)
  })

  it('DEFAULT_SECIO_PREFERENCES match the @default lists documented on SecioInit', () => {
    expect(DEFAULT_SECIO_PREFERENCES).to.deep.equal({ exchanges: ['P-256', 'P-384', 'P-521'], ciphers: ['AES-256', 'AES-128'], hashes: ['SHA256', 'SHA512'] })
  })
})
