/**
 * Replayed frames on a live secured connection. SECIO's MAC covers the
 * ciphertext only, with no sequence number, so a replayed frame verifies;
 * honest peers never send the same ciphertext twice (one keystream per
 * direction), so Uplink refuses a frame that repeats one of the last
 * REPLAY_WINDOW frames, before decrypting it. See docs/SECIO.md for what is
 * and is not detected.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { REPLAY_WINDOW } from '../src/constants.js'
import { againstFake, closed, drain, receive, within } from './fixtures/hostile-peer.js'
import { encrypter, handshake, peer, transfer } from './fixtures/peers.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

describe('secio replayed frames', function () {
  this.timeout(30_000)

  // Regression: the replay passed the MAC and was decrypted under the shifted keystream into garbage that was delivered.
  it('a frame replayed right after the original: ReplayedFrameError, the original delivered once, nothing from the replay, raw closed', async () => {
    const { fake, secured, raw } = await againstFake()
    const ended = drain(secured.connection)
    const frame = fake.seal(text('pay 10 coins;')).subarray().slice()
    await fake.writeRaw(frame)
    await sleep(20)
    await fake.writeRaw(frame)

    const { data, error } = await within(2_000, ended)
    expect(error?.name).to.equal('ReplayedFrameError')
    expect(str(data)).to.equal('pay 10 coins;')
    expect(await closed(raw)).to.equal('aborted')
  })

  it('a replay in the same read as good frames: the frames before it are delivered, then ReplayedFrameError, nothing after', async () => {
    const { fake, secured, raw } = await againstFake()
    const ended = drain(secured.connection)
    const one = fake.seal(text('frame one;')).subarray().slice()
    await fake.writeRaw(new Uint8ArrayList(one, fake.seal(text('frame two;')), one, fake.seal(text('frame three;'))))

    const { data, error } = await within(2_000, ended)
    expect(error?.name).to.equal('ReplayedFrameError')
    expect(str(data)).to.equal('frame one;frame two;')
    expect(await closed(raw)).to.equal('aborted')
  })

  it(`a frame replayed ${REPLAY_WINDOW - 1} frames later is still caught`, async () => {
    const { fake, secured } = await againstFake()
    const ended = drain(secured.connection)
    const first = fake.seal(text('the first frame;')).subarray().slice()
    const later = Array.from({ length: REPLAY_WINDOW - 1 }, (_, i) => fake.seal(text(`frame ${i};`)))
    await fake.writeRaw(new Uint8ArrayList(first, ...later, first))

    const { error } = await within(2_000, ended)
    expect(error?.name).to.equal('ReplayedFrameError')
  })

  it('the nonce frame replayed as the first data frame: ReplayedFrameError', async () => {
    const { fake, secured, raw } = await againstFake()
    const ended = drain(secured.connection)
    await fake.writeRaw(fake.sentNonceFrame())

    const { error } = await within(2_000, ended)
    expect(error?.name).to.equal('ReplayedFrameError')
    expect(await closed(raw)).to.equal('aborted')
  })

  it(`what is not caught: a replay older than the window (${REPLAY_WINDOW} frames) decrypts to garbage, never to the original`, async () => {
    const { fake, secured } = await againstFake()
    const first = fake.seal(text('pay 10 coins;')).subarray().slice()
    const later = Array.from({ length: REPLAY_WINDOW }, (_, i) => fake.seal(text(`frame ${String(i).padStart(3, '0')};`)))
    const expectedLength = 13 + later.reduce((sum, frame) => sum + frame.byteLength - 4 - 32, 0) + 13
    const got = receive(secured.connection, expectedLength)
    await fake.writeRaw(new Uint8ArrayList(first, ...later, first))

    const data = await got
    expect(str(data.subarray(0, 13))).to.equal('pay 10 coins;')
    expect(str(data.subarray(data.byteLength - 13))).to.not.equal('pay 10 coins;')
  })

  it('what is not caught: a replayed frame of under 8 bytes (honest ones that short can be equal by chance) decrypts to garbage', async () => {
    const { fake, secured } = await againstFake()
    const frame = fake.seal(text('pay 10;')).subarray().slice()
    const got = receive(secured.connection, 14)
    await fake.writeRaw(frame, frame)

    const data = await got
    expect(str(data.subarray(0, 7))).to.equal('pay 10;')
    expect(str(data.subarray(7))).to.not.equal('pay 10;')
  })

  it('empty frames (L = MAC length) may repeat: they carry nothing and do not move the keystream', async () => {
    const { fake, secured } = await againstFake()
    const got = receive(secured.connection, 3)
    const empty = fake.seal(new Uint8Array()).subarray().slice()
    await fake.writeRaw(empty, empty, empty, fake.seal(text('abc')))
    expect(str(await got)).to.equal('abc')
    expect(secured.connection.status).to.equal('open')
  })

  it('honest traffic never trips the guard: 2 000 identical 16-byte writes and 1 000 one-byte writes arrive intact', async () => {
    const [alice, bob] = await Promise.all([peer(), peer()])
    const { dialer, listener } = await handshake(encrypter(alice), encrypter(bob), bob.peerId)
    const same = randomBytes(16)
    const repeated = Buffer.concat(Array.from({ length: 2_000 }, () => same))
    expect(Buffer.from(await transfer(dialer.connection, listener.connection, repeated, 16)).equals(repeated)).to.equal(true)

    const bytes = randomBytes(1_000)
    expect(Buffer.from(await transfer(listener.connection, dialer.connection, bytes, 1)).equals(bytes)).to.equal(true)
    expect(dialer.connection.status).to.equal('open')
    expect(listener.connection.status).to.equal('open')
  })
})
