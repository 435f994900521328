import { readFile, writeFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { UsageError } from './errors.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'

export const KEY_TYPES = ['ed25519', 'secp256k1', 'rsa'] as const
export type KeyTypeName = typeof KEY_TYPES[number]

/**
 * An identity file: JSON with the key as a base64 libp2p `PrivateKey`
 * protobuf (the form go-libp2p and js-libp2p marshal keys in), and the
 * PeerId and type for people reading it. Only `privateKey` is trusted.
 */
export interface IdentityFile {
  type: PrivateKey['type']
  peerId: string
  privateKey: string
}

export interface Identity {
  privateKey: PrivateKey
  peerId: PeerId
}

export async function newIdentity (type: KeyTypeName = 'ed25519', rsaBits = 2048): Promise<Identity> {
  const privateKey = type === 'rsa'
    ? await generateKeyPair('RSA', rsaBits)
    : await generateKeyPair(type === 'ed25519' ? 'Ed25519' : 'secp256k1')
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
}

export function toIdentityFile (identity: Identity): IdentityFile {
  return {
    type: identity.privateKey.type,
    peerId: identity.peerId.toString(),
    privateKey: Buffer.from(privateKeyToProtobuf(identity.privateKey)).toString('base64')
  }
}

/** Writes the file readable by its owner only; never replaces an existing one unless told to. */
export async function writeIdentity (path: string, identity: Identity, overwrite = false): Promise<void> {
  await writeFile(path, JSON.stringify(toIdentityFile(identity), null, 2) + '\n', { mode: 0o600, flag: overwrite ? 'w' : 'wx' })
}

export async function readIdentity (path: string): Promise<Identity> {
  let parsed: Partial<IdentityFile>

  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (err: any) {
    throw new UsageError(`cannot read the identity file ${path}: ${err.message}`)
  }

  if (typeof parsed.privateKey !== 'string') {
    throw new UsageError(`${path} is not an identity file (no "privateKey"); make one with \`uplink key new --out ${path}\``)
  }

  const privateKey = privateKeyFromProtobuf(Buffer.from(parsed.privateKey, 'base64'))
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
}

/** The identity of `--key FILE`, or a fresh Ed25519 one. */
export async function loadIdentity (path: string | undefined): Promise<Identity> {
  return path == null ? newIdentity() : readIdentity(path)
}
