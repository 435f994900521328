// What the crypto alone costs on one core, in the frames SECIO and noise send: the ceiling the
// throughput rows are compared with. SECIO's seal is AES-CTR over the frame then an HMAC of the
// ciphertext (a new HMAC object per frame, as every SECIO does); noise's is ChaCha20-Poly1305.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'

export type SealName = 'secio AES-256/SHA256' | 'secio AES-128/SHA256' | 'secio AES-256/SHA512' | 'noise ChaCha20-Poly1305'
export const SEAL_FRAME = 64 * 1024

/** MB/s of sealing `total` bytes in SEAL_FRAME frames. */
export function sealLimit (name: SealName, total: number): number {
  const frame = randomBytes(SEAL_FRAME)
  const started = performance.now()

  if (name === 'noise ChaCha20-Poly1305') {
    const key = randomBytes(32)
    const nonce = Buffer.alloc(12)
    for (let done = 0, n = 0; done < total; done += SEAL_FRAME, n++) {
      nonce.writeUInt32LE(n, 4)
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      cipher.update(frame)
      cipher.final()
      cipher.getAuthTag()
    }
  } else {
    const aes = name === 'secio AES-128/SHA256' ? 'aes-128-ctr' : 'aes-256-ctr'
    const hash = name === 'secio AES-256/SHA512' ? 'sha512' : 'sha256'
    const cipher = createCipheriv(aes, randomBytes(aes === 'aes-128-ctr' ? 16 : 32), randomBytes(16))
    const macKey = randomBytes(20)
    for (let done = 0; done < total; done += SEAL_FRAME) {
      createHmac(hash, macKey).update(cipher.update(frame)).digest()
    }
  }

  return total / 1e6 / ((performance.now() - started) / 1000)
}
