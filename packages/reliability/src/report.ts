// Renders every part's last figures into the faults and hostile regions of docs/RELIABILITY.md; the rest
// of the file (its introduction, other regions) is left as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderFaults, renderHostile } from './render.js'
import { REPO_ROOT } from './results.js'

export const REPORT = join(REPO_ROOT, 'docs', 'RELIABILITY.md')

const INTRO = `# Reliability

Figures measured by the project's own runs, each with the command that reproduces it: hostile input,
injected network faults, killed peers and load. Every region below between \`BEGIN\` and \`END\` markers is
written by the run named in its marker; do not edit it by hand.
`

export function replaceRegion (text: string, name: string, writer: string, body: string): string {
  const begin = `<!-- BEGIN ${name} (written by ${writer}) -->`
  const end = `<!-- END ${name} -->`
  const region = `${begin}\n${body.trim()}\n${end}`
  const from = text.indexOf(begin)
  const to = text.indexOf(end)
  if (from < 0 || to < from) return `${text.trimEnd()}\n\n${region}\n`
  return `${text.slice(0, from)}${region}${text.slice(to + end.length)}`
}

export function writeReport (): void {
  let text = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : INTRO
  text = replaceRegion(text, 'faults', 'pnpm reliability', renderFaults())
  text = replaceRegion(text, 'hostile', 'pnpm reliability', renderHostile())
  writeFileSync(REPORT, text)
}
