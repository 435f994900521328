import net from 'node:net'
import { once } from 'node:events'
import { expect } from 'chai'
import { minimalSecioPipe } from '../src/peer/minimal-secio.js'
import { PatternCheck, patternPiece } from '../src/peer/pattern.js'
import { pieces, sendAll } from '../src/peer/pipe.js'
import type { Socket } from 'node:net'

/** A connected pair of sockets over loopback, the listener's side first. */
async function socketPair (): Promise<[Socket, Socket]> {
  const server = net.createServer({ allowHalfOpen: true })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const accepted = once(server, 'connection')
  const dialer = net.connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true })
  const [listener] = await accepted as [Socket]
  await once(dialer, 'connect')
  server.close()
  return [listener, dialer]
}

// The floor row is only a fair floor if it does a SECIO receiver's work: every MAC checked, every byte decrypted.
describe('minimal SECIO framing (the benchmarks\' floor of a Node channel)', () => {
  it('moves a transfer intact, the frames checked and decrypted on the other side', async () => {
    const [listenerSocket, dialerSocket] = await socketPair()
    const receiver = minimalSecioPipe(listenerSocket, 'listener')
    const sender = minimalSecioPipe(dialerSocket, 'dialer')
    const check = new PatternCheck()
    const received = (async () => { for await (const chunk of receiver) check.update(chunk) })()

    await sendAll(sender, pieces(3 * 1024 * 1024 + 5, 256 * 1024, patternPiece))
    // both half-close, as the benchmark's sender and receiver do
    const closed = sender.close()
    await received
    await receiver.close()
    await closed

    expect(check.received).to.equal(3 * 1024 * 1024 + 5)
    expect(check.intact).to.equal(true)
  })

  it('refuses a frame whose ciphertext was changed on the wire', async () => {
    const [listenerSocket, dialerSocket] = await socketPair()
    const receiver = minimalSecioPipe(listenerSocket, 'listener')
    const frame = [Buffer.alloc(4), Buffer.alloc(100, 1), Buffer.alloc(32, 2)]
    frame[0]!.writeUInt32BE(132)
    dialerSocket.write(Buffer.concat(frame))

    let failure: Error | undefined
    try {
      for await (const chunk of receiver) expect.fail(`a forged frame yielded ${chunk.byteLength} bytes`)
    } catch (err: any) {
      failure = err
    }
    expect(failure?.message).to.match(/MAC/)
    dialerSocket.destroy()
  })
})
