// On a Node.js older than 22 the libraries must fail at import, with a named error that says what is
// needed and what is running: not late and obscurely (`Promise.withResolvers is not a function` at
// `stop()`). The tests run on the pinned Node 22; the machine's own `node` (Node 20 on the project's
// machines) is found on PATH outside `.runtime/` and runs a tiny script that imports the package.
import { spawnSync } from 'node:child_process'
import type { SpawnSyncReturns } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { MINIMUM_NODE_VERSION, UnsupportedNodeVersionError } from '../src/index.js'
import { checkNodeVersion } from '../src/runtime/node-version.js'

const packageDir = fileURLToPath(new URL('../..', import.meta.url))

interface OldNode { path: string, version: string }

/** The first `node` older than the minimum: on PATH (the pinned one in `.runtime/` is newer), then the usual places. */
function findOldNode (): OldNode | undefined {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).filter(dir => dir !== '').map(dir => join(dir, 'node')),
    '/usr/bin/node', '/usr/local/bin/node', '/bin/node'
  ]
  const seen = new Set<string>()

  for (const candidate of candidates) {
    let path: string
    try {
      path = realpathSync(candidate)
    } catch {
      continue
    }

    if (seen.has(path) || path === realpathSync(process.execPath)) continue
    seen.add(path)

    const result = spawnSync(path, ['--version'], { encoding: 'utf8' })
    const version = result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined

    if (version != null && Number.parseInt(version, 10) < MINIMUM_NODE_VERSION) {
      return { path, version }
    }
  }

  return undefined
}

function runOn (node: OldNode, source: string): SpawnSyncReturns<string> {
  // the package imports itself by name (its `exports` map), as a user's script would
  return spawnSync(node.path, ['--input-type=module', '--eval', source], {
    cwd: packageDir,
    encoding: 'utf8',
    // this Node only, on PATH too: nothing it starts may pick the pinned one
    env: { ...process.env, PATH: `${dirname(node.path)}${delimiter}${process.env.PATH ?? ''}` },
    timeout: 30_000
  })
}

describe('an unsupported Node.js is refused at import', () => {
  let oldNode: OldNode | undefined

  before(function () {
    oldNode = findOldNode()

    if (oldNode == null) {
      console.error(`\n  !!! SKIPPED: no Node.js older than ${MINIMUM_NODE_VERSION} was found on PATH or in /usr/bin, /usr/local/bin; the import check on an old Node.js is not exercised\n`)
      this.skip()
    }
  })

  it('importing @uplink/core throws UnsupportedNodeVersionError naming the required and the running version', () => {
    const node = oldNode as OldNode
    const result = runOn(node, `
      try {
        await import('@uplink/core')
        console.log(JSON.stringify({ imported: true }))
      } catch (err) {
        console.log(JSON.stringify({ name: err.name, message: err.message, required: err.required, actual: err.actual }))
      }
    `)

    expect(result.stderr).to.equal('')
    const outcome = JSON.parse(result.stdout)
    expect(outcome.name).to.equal('UnsupportedNodeVersionError')
    expect(outcome.required).to.equal(MINIMUM_NODE_VERSION)
    expect(outcome.actual).to.equal(node.version)
    expect(outcome.message).to.include(`Node.js ${MINIMUM_NODE_VERSION} or newer`)
    expect(outcome.message).to.include(`this is Node.js ${node.version}`)
  })

  it('a script that just imports it exits at once with that message', () => {
    const node = oldNode as OldNode
    const result = runOn(node, 'import \'@uplink/core\'\nconsole.log(\'reached the script body\')')

    expect(result.status).to.not.equal(0)
    expect(result.stdout).to.not.include('reached the script body')
    expect(result.stderr).to.include('UnsupportedNodeVersionError')
    expect(result.stderr).to.include(`Uplink needs Node.js ${MINIMUM_NODE_VERSION} or newer, and this is Node.js ${node.version}`)
  })
})

describe('checkNodeVersion', () => {
  it('accepts the minimum and newer, refuses older with the versions attached', () => {
    expect(() => { checkNodeVersion('22.0.0') }).to.not.throw()
    expect(() => { checkNodeVersion('24.11.1') }).to.not.throw()

    try {
      checkNodeVersion('21.7.3', '/opt/node21/bin/node')
      expect.fail('Node 21 was accepted')
    } catch (err: any) {
      expect(err).to.be.instanceOf(UnsupportedNodeVersionError)
      expect(err.name).to.equal('UnsupportedNodeVersionError')
      expect(err.actual).to.equal('21.7.3')
      expect(err.message).to.include('/opt/node21/bin/node')
    }
  })
})
