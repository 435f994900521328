import { createCipheriv, createHmac, randomBytes } from 'node:crypto'

/**
 * What SECIO's crypto alone costs on this machine: AES-256-CTR plus
 * HMAC-SHA256, sealed and opened, in 64 KiB frames on one core (both ends of
 * a benchmark connection run in this one process).
 */
export function secioCryptoLimit (totalBytes: number): number {
  const key = randomBytes(32)
  const iv = randomBytes(16)
  const macKey = randomBytes(20)
  const seal = createCipheriv('aes-256-ctr', key, iv)
  const open = createCipheriv('aes-256-ctr', key, iv)
  const frame = randomBytes(64 * 1024)
  const started = performance.now()

  for (let done = 0; done < totalBytes; done += frame.byteLength) {
    const ciphertext = seal.update(frame)
    createHmac('sha256', macKey).update(ciphertext).digest()
    createHmac('sha256', macKey).update(ciphertext).digest()
    open.update(ciphertext)
  }

  return totalBytes / 1e6 / ((performance.now() - started) / 1000)
}
