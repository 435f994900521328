import { existsSync, readFileSync, writeFileSync } from 'node:fs'

export const BEGIN_MARKER = '<!-- BEGIN fuzzing (written by pnpm fuzz) -->'
export const END_MARKER = '<!-- END fuzzing -->'

const INTRO = `# Reliability

What Uplink does under hostile input, faults and load, measured by runs in this repository. Each marked region
is written by the command it names; everything outside the markers is written by hand.
`

/**
 * Puts `region` between this command's markers in the doc, leaving the rest
 * of the file (other commands' regions included) as it was. A missing file is
 * created with a short intro; missing markers are appended.
 */
export function writeRegion (path: string, region: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : INTRO
  const block = `${BEGIN_MARKER}\n${region.trimEnd()}\n${END_MARKER}`
  const begin = doc.indexOf(BEGIN_MARKER)
  const end = doc.indexOf(END_MARKER)

  if (begin === -1 || end === -1 || end < begin) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${block}\n`)
    return
  }

  writeFileSync(path, doc.slice(0, begin) + block + doc.slice(end + END_MARKER.length))
}
