import { expect } from 'chai'
import { cpuSeconds, measureCpu } from '../src/run/cpu-time.js'

describe('CPU seconds of a process, from /proc', () => {
  it('agrees with process.cpuUsage() on this process, within a tick or two', async () => {
    const spin = (): void => {
      const start = process.cpuUsage()
      while (process.cpuUsage(start).user < 200_000) Math.sqrt(Math.random())
    }
    const usageBefore = process.cpuUsage()
    const { seconds: [measured] } = await measureCpu([process.pid], async () => { spin() })
    const usage = process.cpuUsage(usageBefore)

    expect(measured).to.be.a('number')
    expect(measured).to.be.closeTo((usage.user + usage.system) / 1e6, 0.03)
  })

  it('is undefined for a process that is not there', () => {
    expect(cpuSeconds(2 ** 22 + 1)).to.equal(undefined)
  })
})
