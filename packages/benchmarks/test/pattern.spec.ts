import { expect } from 'chai'
import { PATTERN_BLOCK, PatternCheck, patternPiece } from '../src/peer/pattern.js'
import { pieces } from '../src/peer/pipe.js'

describe('the benchmark byte pattern', () => {
  const total = 2 * PATTERN_BLOCK + 12_345

  it('accepts the pattern however it is cut', () => {
    const check = new PatternCheck()
    const all = Buffer.concat([...pieces(total, 100_000, patternPiece)])
    for (let offset = 0; offset < total; offset += 77_777) check.update(all.subarray(offset, Math.min(total, offset + 77_777)))
    expect(check).to.include({ received: total, intact: true })
  })

  it('rejects one flipped bit anywhere, in a Uint8Array or a list of them', () => {
    const all = Buffer.concat([...pieces(total, 65_536, patternPiece)])
    all[PATTERN_BLOCK + 3]! ^= 1
    const check = new PatternCheck()
    check.update([all.subarray(0, 10), all.subarray(10)])
    expect(check).to.include({ received: total, intact: false })
  })
})
