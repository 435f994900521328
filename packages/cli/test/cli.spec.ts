import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'chai'
import { EXIT } from '../src/index.js'
import { BIN, ListenProcess, uplink } from './fixtures/run.js'

const run = promisify(execFile)

/** Another address of the same listener, claiming a PeerId it does not have. */
async function withWrongId (addr: string): Promise<{ addr: string, wrong: string }> {
  const wrong = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  return { addr: addr.replace(/\/p2p\/\w+$/, `/p2p/${wrong}`), wrong }
}

describe('uplink, the command', function () {
  this.timeout(60_000)
  let dir: string
  let listener: ListenProcess
  let tcpAddr: string
  let wsAddr: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uplink-cli-'))
    const made = await uplink(['key', 'new', '--out', join(dir, 'listener.json'), '--json'])
    expect(made.code).to.equal(EXIT.OK)
    listener = await ListenProcess.start(['--key', join(dir, 'listener.json'), '--ws-port', '0', '--crypto', 'secio,noise,tls', '--muxer', 'yamux'])
    expect(listener.peerId).to.equal(made.events[0]?.peerId)
    tcpAddr = listener.addrs.find(a => !a.includes('/ws/')) ?? ''
    wsAddr = listener.addrs.find(a => a.includes('/ws/')) ?? ''
  })

  after(async () => {
    expect(await listener.stop()).to.equal(EXIT.OK)
    await rm(dir, { recursive: true, force: true })
  })

  describe('key', () => {
    it('key new writes an identity file (owner-only) whose PeerId key show prints, and never overwrites one', async () => {
      const path = join(dir, 'secp.json')
      const made = await uplink(['key', 'new', '--type', 'secp256k1', '--out', path, '--json'])
      const shown = await uplink(['key', 'show', path, '--json'])
      const again = await uplink(['key', 'new', '--out', path])

      expect(made.code).to.equal(EXIT.OK)
      expect(made.events[0]).to.include({ event: 'key', type: 'secp256k1' })
      expect(shown.events[0]).to.include({ peerId: made.events[0]?.peerId, type: 'secp256k1' })
      expect(JSON.parse(await readFile(path, 'utf8'))).to.have.property('peerId', made.events[0]?.peerId)
      expect((await stat(path)).mode & 0o777).to.equal(0o600)
      expect(again.code).to.equal(EXIT.USAGE)
      expect(again.stderr).to.include('--force')
    })
  })

  describe('dial', () => {
    it('prints every stage in order over SECIO: offered and chosen, our proposal and the suite, the matched PeerId, the muxer; then the echo', async () => {
      const { code, events } = await uplink(['dial', tcpAddr, '--json', '--echo', '100000'])

      expect(code).to.equal(EXIT.OK)
      expect(events.map(e => e.stage ?? e.event)).to.deep.equal([
        'dial', 'connect', 'negotiate-crypto', 'secio-proposal', 'handshake', 'verify-peer', 'negotiate-muxer', 'connected', 'echo'
      ])
      const byName = Object.fromEntries(events.map(e => [e.stage ?? e.event, e]))
      expect(byName.connect).to.include({ transport: 'tcp' })
      expect(byName['negotiate-crypto']).to.deep.include({ offered: ['/secio/1.0.0', '/noise', '/tls/1.0.0'], chosen: '/secio/1.0.0' })
      const defaults = { exchanges: ['P-256', 'P-384', 'P-521'], ciphers: ['AES-256', 'AES-128'], hashes: ['SHA256', 'SHA512'] }
      expect(byName['secio-proposal']).to.deep.include({ local: defaults, remote: defaults })
      expect(byName['secio-proposal']?.preferred).to.be.oneOf(['ours', 'theirs'])
      expect(byName.handshake).to.deep.include({ remotePeer: listener.peerId, secio: { exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' } })
      expect(byName['verify-peer']).to.include({ expected: listener.peerId, actual: listener.peerId, matched: true })
      expect(byName['negotiate-muxer']).to.deep.include({ offered: ['/yamux/1.0.0', '/mplex/6.7.0'], chosen: '/yamux/1.0.0', by: 'multistream-select' })
      expect(byName.echo).to.include({ sent: 100000, received: 100000 })
      for (const e of events.filter(e => e.event === 'stage')) {
        expect(e.at).to.be.a('number')
        expect(e.ms).to.be.a('number')
      }

      const inbound = await listener.waitFor(e => e.event === 'inbound' && e.encryption === '/secio/1.0.0')
      expect(inbound).to.deep.include({ secio: { exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' }, muxer: '/yamux/1.0.0' })
    })

    it('prints people-readable lines with each stage\'s time', async () => {
      const { code, stdout } = await uplink(['dial', tcpAddr, '--crypto', 'noise'])
      const lines = stdout.trim().split('\n')

      expect(code).to.equal(EXIT.OK)
      expect(lines[0]).to.equal(`dialing ${tcpAddr}`)
      expect(lines[1]).to.match(/^ +\d+\.\d ms {2}connect +tcp to \/ip4\/127\.0\.0\.1\/tcp\/\d+ {2}\(\d+\.\d ms\)$/)
      expect(lines[2]).to.match(/negotiate-crypto +offered \/noise, chosen \/noise {2}\(\d+\.\d ms\)$/)
      expect(lines[3]).to.include(`handshake         /noise, remote ${listener.peerId}`)
      expect(lines[4]).to.include(`verify-peer       ${listener.peerId} matches the dialed id`)
      expect(lines[5]).to.include('negotiate-muxer   /yamux/1.0.0, agreed by the crypto handshake')
      expect(lines[6]).to.match(new RegExp(`^connected to ${listener.peerId} with /noise and /yamux/1.0.0 in \\d+\\.\\d ms$`))
    })

    it('speaks TLS, and SECIO over WebSockets, each address through the transport that can dial it', async () => {
      const tls = await uplink(['dial', tcpAddr, '--crypto', 'tls', '--json', '--echo', '1000'])
      const ws = await uplink(['dial', wsAddr, '--crypto', 'secio', '--json', '--echo', '1000'])

      expect(tls.code).to.equal(EXIT.OK)
      expect(tls.events.find(e => e.event === 'connected')).to.include({ encryption: '/tls/1.0.0', muxer: '/yamux/1.0.0' })
      expect(ws.code).to.equal(EXIT.OK)
      expect(ws.events.find(e => e.stage === 'connect')).to.include({ transport: 'websockets' })
      expect(ws.events.find(e => e.event === 'connected')).to.include({ encryption: '/secio/1.0.0' })
    })

    it('a wrong /p2p/ id fails at verify-peer with UnexpectedPeerError, both ids, and exit code 6', async () => {
      const { addr, wrong } = await withWrongId(tcpAddr)
      const { code, events } = await uplink(['dial', addr, '--json'])
      const error = events.at(-1)

      expect(code).to.equal(EXIT.VERIFY_PEER)
      expect(error).to.deep.include({ event: 'error', stage: 'verify-peer', expected: wrong, actual: listener.peerId, matched: false })
      expect(error?.error.name).to.equal('UnexpectedPeerError')
      expect(error?.causes.map((c: any) => c.name)).to.include('UnexpectedPeerError')
    })

    it('a closed port fails at connect with exit code 3', async () => {
      const { code, events } = await uplink(['dial', '/ip4/127.0.0.1/tcp/1', '--json'])

      expect(code).to.equal(EXIT.CONNECT)
      expect(events.at(-1)).to.deep.include({ event: 'error', stage: 'connect' })
      expect(events.at(-1)?.error.name).to.equal('TCPDialError')
      expect(events.at(-1)?.causes[0].message).to.include('ECONNREFUSED')
    })

    it('no crypto channel in common fails at negotiate-crypto (exit 4), no muxer in common at negotiate-muxer (exit 7)', async () => {
      const crypto = await uplink(['dial', tcpAddr, '--crypto', 'plaintext', '--json'])
      const muxer = await uplink(['dial', tcpAddr, '--crypto', 'secio', '--muxer', 'mplex', '--json'])

      expect(crypto.code).to.equal(EXIT.NEGOTIATE_CRYPTO)
      expect(crypto.events.at(-1)).to.deep.include({ stage: 'negotiate-crypto', error: crypto.events.at(-1)?.error })
      expect(crypto.events.at(-1)?.error.name).to.equal('EncryptionFailedError')
      expect(crypto.events.at(-1)?.causes[0].name).to.equal('UnsupportedProtocolError')
      expect(muxer.code).to.equal(EXIT.NEGOTIATE_MUXER)
      expect(muxer.events.at(-1)?.stage).to.equal('negotiate-muxer')
      expect(muxer.events.at(-1)?.error.name).to.equal('MuxerUnavailableError')

      const refused = await listener.waitFor(e => e.event === 'error' && e.stage === 'negotiate-crypto')
      expect(refused.error.name).to.equal('EncryptionFailedError')
    })

    it('the binary exits with the stage\'s code and prints the error\'s name and cause chain', async () => {
      const { addr } = await withWrongId(tcpAddr)
      const err = await run(process.execPath, [BIN, 'dial', addr], { timeout: 30_000 }).then(() => undefined, (err: any) => err)

      expect(err?.code).to.equal(EXIT.VERIFY_PEER)
      expect(err?.stdout).to.match(/FAILED at verify-peer: UnexpectedPeerError: dialed \w+ but the remote proved it is \w+\n +cause: UnexpectedPeerError: /)
    })

    it('usage errors exit with 2 and say what was wrong', async () => {
      expect((await uplink(['dial'])).code).to.equal(EXIT.USAGE)
      expect((await uplink(['dial', tcpAddr, '--crypto', 'rot13'])).stderr).to.include('unknown "rot13"')
      expect((await uplink(['frobnicate'])).code).to.equal(EXIT.USAGE)
    })
  })

  describe('ping', () => {
    it('-c 3 pings over one connection: three replies, then min/avg/p99', async () => {
      const { code, events } = await uplink(['ping', tcpAddr, '-c', '3', '--interval', '0', '--json'])

      expect(code).to.equal(EXIT.OK)
      expect(events.filter(e => e.event === 'reply').map(e => e.seq)).to.deep.equal([1, 2, 3])
      expect(events.at(-1)).to.include({ event: 'summary', sent: 3, received: 3 })
      expect(events.at(-1)?.min).to.be.at.most(events.at(-1)?.p99)
    })

    it('--connect measures full connection setups', async () => {
      const { code, stdout } = await uplink(['ping', tcpAddr, '-c', '2', '--interval', '0', '--connect'])

      expect(code).to.equal(EXIT.OK)
      expect(stdout).to.match(new RegExp(`connected to ${listener.peerId}: seq=2 time=\\d+\\.\\d ms`))
      expect(stdout).to.match(/2 of 2 connection setups succeeded, min\/avg\/p99 = [\d.]+\/[\d.]+\/[\d.]+ ms/)
    })
  })
})
