import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect } from 'chai'
import { majorGcCount } from '../src/peer/major-gcs.js'
import { countMajorGcs } from '../src/run/major-gcs.js'

// a full collection on demand, without starting mocha with --expose-gc
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void
const observed = async (): Promise<void> => { await new Promise(resolve => setTimeout(resolve, 50)) }

describe('full collections of a benchmark side', () => {
  it('counts each full collection of this process, and only full ones', async () => {
    const before = majorGcCount()
    gc()
    gc({ type: 'major' })
    await observed()
    expect(majorGcCount() - before).to.equal(2)

    // scavenges are not full collections
    const settled = majorGcCount()
    gc({ type: 'minor' })
    gc({ type: 'minor' })
    await observed()
    expect(majorGcCount()).to.equal(settled)
  })

  it('gives each side what it ran during the body, and nothing for a side that cannot say (Go)', async () => {
    let total = 3
    const { counts } = await countMajorGcs([async () => total, undefined], async () => { total += 4 })
    expect(counts).to.deep.equal([4, undefined])
  })
})
