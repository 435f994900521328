// Starting child-peer.js and reading its JSON lines.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'

const SCRIPT = fileURLToPath(new URL('./child-peer.js', import.meta.url))

export interface ChildPeer {
  process: ChildProcess
  pid: number
  /** resolves with the first line whose `event` is `name` */
  next: (name: string) => Promise<Record<string, any>>
  go: () => void
  /** resolves once the process has exited and its output has been read, with its signal if it was killed */
  exited: Promise<NodeJS.Signals | null>
  kill: () => void
}

/** Starts `script` (child-peer.js unless a test names another) with `args`. */
export function startChild (args: string[], script = SCRIPT): ChildPeer {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines: Array<Record<string, any>> = []
  const waiters: Array<{ name: string, resolve: (line: Record<string, any>) => void }> = []
  // 'close', not 'exit': Node may report the exit before the child's last lines are read (a child that says "done"
  // and exits at once would be taken for one that died before it)
  const exited = new Promise<NodeJS.Signals | null>(resolve => child.once('close', (_code, signal) => { resolve(signal) }))

  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, any>
    const waiter = waiters.findIndex(w => w.name === line.event)
    if (waiter >= 0) waiters.splice(waiter, 1)[0]?.resolve(line)
    else lines.push(line)
  })

  return {
    process: child,
    pid: child.pid as number,
    async next (name) {
      const seen = lines.findIndex(l => l.event === name)
      if (seen >= 0) return lines.splice(seen, 1)[0] as Record<string, any>
      const line = new Promise<Record<string, any>>(resolve => { waiters.push({ name, resolve }) })
      return Promise.race([line, exited.then(signal => { throw new Error(`child ${args[0]} exited (${signal ?? 'no signal'}) before "${name}"`) })])
    },
    go () { child.stdin?.write('go\n') },
    exited,
    kill () {
      // stopped first, so it cannot take one more step between our decision and its death
      process.kill(child.pid as number, 'SIGSTOP')
      process.kill(child.pid as number, 'SIGKILL')
    }
  }
}
