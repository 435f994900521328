/**
 * Real handshake messages to mutate: the exact bytes Uplink puts on the wire
 * for a Propose and an Exchange, made by the same code the handshake runs,
 * for each identity key type and curve.
 */
import { randomBytes } from 'node:crypto'
import { DEFAULT_PREFERENCES, EXCHANGES } from '../../src/handshake/algorithms.js'
import { createExchange } from '../../src/handshake/exchange.js'
import { localIdentityProtobuf } from '../../src/handshake/identity.js'
import { createProposal, readProposal } from '../../src/handshake/proposal.js'
import { generateEphemeral } from '../../src/handshake/secret.js'
import { peer } from '../fixtures/peers.js'
import type { ExchangeName } from '../../src/handshake/algorithms.js'
import type { LocalProposal, RemoteProposal } from '../../src/handshake/proposal.js'
import type { KeyKind } from '../fixtures/peers.js'
import type { EphemeralKey } from '../../src/handshake/secret.js'

export const KEY_KINDS: KeyKind[] = ['Ed25519', 'secp256k1', 'RSA']

export interface RecordedHandshake {
  kind: KeyKind
  curve: ExchangeName
  /** The side that sent these messages. */
  sender: LocalProposal
  /** The side that reads them, as it sees the sender's Propose after reading it. */
  reader: LocalProposal
  readerEphemeral: EphemeralKey
  senderSeenByReader: RemoteProposal
  propose: Uint8Array
  exchange: Uint8Array
}

/** One recorded Propose and Exchange per key kind and curve. */
export async function recordHandshakes (): Promise<RecordedHandshake[]> {
  const recorded: RecordedHandshake[] = []

  for (const kind of KEY_KINDS) {
    const [sender, reader] = await Promise.all([peer(kind), peer('Ed25519')])
    const senderProposal = createProposal(localIdentityProtobuf(sender.privateKey), randomBytes(16), DEFAULT_PREFERENCES)
    const readerProposal = createProposal(localIdentityProtobuf(reader.privateKey), randomBytes(16), DEFAULT_PREFERENCES)

    for (const curve of EXCHANGES) {
      const senderEphemeral = await generateEphemeral(curve)
      const readerView = readProposal(readerProposal.bytes)
      recorded.push({
        kind,
        curve,
        sender: senderProposal,
        reader: readerProposal,
        readerEphemeral: await generateEphemeral(curve),
        senderSeenByReader: readProposal(senderProposal.bytes),
        propose: senderProposal.bytes,
        exchange: await createExchange(sender.privateKey, senderProposal, readerView, senderEphemeral.key)
      })
    }
  }

  return recorded
}
