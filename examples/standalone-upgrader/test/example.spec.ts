import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect } from 'chai'

const run = promisify(execFile)

describe('examples/standalone-upgrader', () => {
  it('upgrades node:net sockets of its own with createUpgrader, then a stream sends, half-closes and reads the reply', async () => {
    const script = fileURLToPath(new URL('../src/index.js', import.meta.url))
    const { stdout } = await run(process.execPath, [script], { timeout: 30_000 })
    const lines = stdout.trim().split('\n').sort()

    expect(lines).to.have.lengthOf(3)
    expect(lines[0]).to.match(/^client: reply "dnah yb dedargpu"$/)
    expect(lines[1]).to.match(/^client: upgraded to 12D3KooW\w+: \/secio\/1\.0\.0 P-256 AES-256 SHA256, \/yamux\/1\.0\.0$/)
    expect(lines[2]).to.match(/^server: connection from 12D3KooW\w+ over \/secio\/1\.0\.0$/)
  })
})
