#!/usr/bin/env node
// js-libp2p v3 (noise, yamux, tls) calls Promise.withResolvers: say so instead of failing mid-dial
const major = Number(process.versions.node.split('.')[0])

if (major < 22) {
  process.stderr.write(`uplink needs Node.js >= 22; this is ${process.version}\n`)
  process.exit(1)
}

const { main } = await import('./main.js')
const controller = new AbortController()
let interrupted = false

for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.once(name, () => {
    interrupted = name === 'SIGINT'
    controller.abort(new Error(`stopped by ${name}`))
  })
}

const code = await main(process.argv.slice(2), controller.signal)
// `listen` stopped by Ctrl-C did what it was asked; any other verb stopped by it did not finish
process.exitCode = interrupted && process.argv[2] !== 'listen' ? 130 : code
// sockets of a closed connection may still be lingering in their close timeout: exit now
setImmediate(() => process.exit())
