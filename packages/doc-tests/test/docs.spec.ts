// Every code block and shell command in the repo's docs (README.md, packages/*/README.md,
// examples/*/README.md, docs/*.md: every Markdown file outside node_modules and dist) is run here,
// so a doc cannot drift from the code again. The rules, by the fence's language:
//
// - ```ts / ```typescript: a complete ES module program. It has its own imports, runs to the end
//   and stops what it starts: it is typechecked with the repo's strict compiler options and then run
//   with the pinned Node in a process of its own, which must exit by itself with status 0.
//   An illustrative fragment that uses names it does not declare (a raw connection, a signal) says
//   so right above its fence, invisibly when rendered: `<!-- snippet: setup=NAME -->`. The setup
//   (fixtures/setups.ts) declares those names before the fragment and closes what it opened after
//   it; the fragment is still typechecked and run. There is no marker that skips a block.
// - ```sh / ```shell / ```bash / ```console, and inline code that starts with `npm `, `pnpm `,
//   `npx ` or `node `: commands. Each must be listed in fixtures/commands.ts, which runs it (from
//   the repo root, on the machine's own PATH, as a reader would type it; with smaller sizes where
//   the doc's are a benchmark's) or, for the few that cannot run inside a test, says why and checks
//   what the doc claims about it instead. A shown command missing from that table fails, and so
//   does an entry that no doc shows any more.
// - no language: diagrams, synopses and sample output, not run. Sample output marked
//   `<!-- snippet: output-of="COMMAND" -->` is compared with what COMMAND prints: each of its
//   lines must appear, in order, with `…` standing for any text.
// - any other language: fails until it gets a rule here.
import { execFile } from 'node:child_process'
import { delimiter, join, sep } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { COMMANDS } from './fixtures/commands.js'
import { docFiles, isShell, readDoc, repoRoot } from './fixtures/docs.js'
import { compileSnippets, runSnippet } from './fixtures/snippets.js'
import type { CodeBlock, ShownCommand } from './fixtures/docs.js'
import type { Snippet } from './fixtures/snippets.js'

const exec = promisify(execFile)
const TYPESCRIPT = new Set(['ts', 'typescript'])

const docs = docFiles().map(doc => ({ doc, ...readDoc(doc) }))
const blocks = docs.flatMap(doc => doc.blocks)
const shown = docs.flatMap(doc => doc.commands)

/**
 * The environment a reader's shell has: the machine's PATH without the pinned runtime or any
 * `node_modules/.bin` that the scripts running this test put on it, and no npm or pnpm script variables.
 */
function readerEnv (): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|INIT_CWD$|NODE$)/i.test(name)))
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter(dir => !dir.split(sep).includes('node_modules')).join(delimiter)
  return env
}

/** Sample output: each line, in order, somewhere in `stdout`; `…` is any text. */
function expectOutput (stdout: string, sample: CodeBlock): void {
  const lines = stdout.split('\n')
  let at = 0

  for (const expected of sample.code.split('\n').filter(line => line.trim() !== '')) {
    const pattern = new RegExp(`^${expected.split('…').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    const found = lines.findIndex((line, index) => index >= at && pattern.test(line))
    expect(found, `${sample.doc}:${sample.line}: "${expected}" is not in the output (after line ${at}):\n${stdout}`).to.be.at.least(0)
    at = found + 1
  }
}

function where (item: CodeBlock | ShownCommand): string {
  return `${item.doc}:${item.line}`
}

describe('docs: every snippet and command shown is run', function () {
  this.timeout(300_000)

  it('every code block has a rule (ts, a shell, or no language)', () => {
    const unruled = blocks.filter(block => block.lang !== '' && !TYPESCRIPT.has(block.lang) && !isShell(block.lang))
    expect(unruled.map(block => `${where(block)}: \`\`\`${block.lang}`)).to.deep.equal([])
  })

  describe('TypeScript blocks', () => {
    const typescript = blocks.filter(block => TYPESCRIPT.has(block.lang))
    let snippets: Snippet[] = []

    before(function () {
      this.timeout(300_000)
      snippets = compileSnippets(typescript)
    })

    for (const [index, block] of typescript.entries()) {
      it(`${where(block)}${block.marker.setup == null ? '' : ` (setup ${block.marker.setup})`}`, async () => {
        const snippet = snippets[index] as Snippet
        expect(snippet.errors, 'type errors').to.deep.equal([])

        try {
          await runSnippet(snippet)
        } catch (err: any) {
          expect.fail(`${where(block)} did not run to a clean exit (${err.killed === true ? 'still running after 60 s: does it stop what it starts?' : `exit ${String(err.code)}`}):\n${String(err.stderr ?? err.message)}`)
        }
      })
    }
  })

  describe('shell commands', () => {
    it('every command a doc shows is in the table, and every table entry is shown by a doc', () => {
      const documented = new Set(shown.map(command => command.command))
      expect(shown.filter(command => COMMANDS[command.command] == null).map(command => `${where(command)}: ${command.command}`), 'not in fixtures/commands.ts').to.deep.equal([])
      expect(Object.keys(COMMANDS).filter(command => !documented.has(command)), 'in fixtures/commands.ts, shown by no doc').to.deep.equal([])
    })

    for (const [command, exercise] of Object.entries(COMMANDS)) {
      if ('notRun' in exercise) {
        it(`${command} (not run: ${exercise.notRun})`, () => {
          exercise.check()
        })
        continue
      }

      it(`${command}${exercise.run === command ? '' : ` (as \`${exercise.run}\`: ${exercise.why ?? ''})`}`, async () => {
        let stdout: string
        try {
          ({ stdout } = await exec('/bin/sh', ['-c', exercise.run], { cwd: join(repoRoot, exercise.cwd ?? ''), env: readerEnv(), timeout: 280_000, maxBuffer: 16 * 1024 * 1024 }))
        } catch (err: any) {
          expect.fail(`\`${exercise.run}\` failed (exit ${String(err.code)}):\n${String(err.stdout)}\n${String(err.stderr)}`)
        }

        if (exercise.stdout != null) {
          expect(stdout).to.match(exercise.stdout)
        }

        for (const sample of blocks.filter(block => block.marker.outputOf === command)) {
          expectOutput(stdout, sample)
        }
      })
    }

    it('every output-of marker names a command that is run', () => {
      const run = new Set(Object.entries(COMMANDS).filter(([, exercise]) => 'run' in exercise).map(([command]) => command))
      expect(blocks.filter(block => block.marker.outputOf != null && !run.has(block.marker.outputOf)).map(where)).to.deep.equal([])
    })
  })
})
