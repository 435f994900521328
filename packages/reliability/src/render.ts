// Markdown for each part's figures, from results/<part>.json.
import { loadResult } from './results.js'
import type { PartResult } from './results.js'
import type { Tally } from './outcome.js'

const n = (value: number): string => value.toLocaleString('en-US')

function header (title: string, result: PartResult<unknown> | undefined, part: string): string {
  if (result == null) return `### ${title}\n\nNot run yet: \`node .runtime/run.mjs pnpm reliability ${part}\`.\n`
  return `### ${title}\n\n\`${result.command}\` — ${result.seconds} s on ${result.machine}, ${result.finished.slice(0, 10)}.\n`
}

function regionStart (spans: Array<{ region: string, start: number }>, region: string): number {
  return spans.find(span => span.region === region)?.start ?? 0
}

/** The fault kinds under which some connection still came through intact. */
function intactKinds (byFault: Record<string, Tally>): string {
  return Object.entries(byFault).filter(([kind, tally]) => kind !== 'none' && (tally.intact ?? 0) > 0).map(([kind, tally]) => `${tally.intact} × ${kind}`).join(', ')
}

function tallyCell (tally: Tally): string {
  return Object.entries(tally).sort((a, b) => b[1] - a[1]).map(([what, count]) => `${count} × ${what}`).join('; ')
}

export function renderFaults (): string {
  const sections: string[] = []

  const faults = loadResult<any>('faults')
  sections.push(header('Injected network faults', faults, 'faults'))
  if (faults != null) {
    const f = faults.figures
    sections.push(`A fault-injecting TCP proxy sits between a dialer and a listener (secio + ${f.muxers.join(' / secio + ')}); one fault per
connection, at byte offsets ${f.offsets.map(n).join(', ')} or SECIO frames ${f.frames.join(', ')} (3 is the first data frame),
in each direction. Each connection carries ${f.shape.streams} echo streams of ${f.shape.messages} messages (1–${f.shape.maxMessage} bytes),
verified by position and SHA-256. "A ← B" is an error named A whose innermost cause is B, as the dialer's application saw it.

| fault | outcomes |
|---|---|
${Object.entries(f.byFault as Record<string, Tally>).map(([fault, tally]) => `| ${fault} | ${tallyCell(tally)} |`).join('\n')}

**${n(f.cases)} connections, ${n(f.bytesSent)} bytes sent; ${f.unacceptable.length} silently short, corrupt, hung or unnamed; bytes lost: ${n(f.bytesLost)}.**
${(f.beyondSecio ?? []).length === 0 ? 'No reordered or dropped frame got past the muxer.' : `Beyond what SECIO can detect: ${(f.beyondSecio as Array<{ fault: string, muxer: string, outcome: { kind: string } }>).map(r => `${r.fault} (${r.muxer}) was delivered ${r.outcome.kind === 'corrupt' ? 'as corrupt data' : 'short'}`).join('; ')}: a reordered or dropped frame verifies, and the garbage after it is the muxer's to catch (see "Where SECIO itself cannot protect"; noise and TLS detect it).`}
${f.intactAfterFault} connections delivered everything intact although their fault fired (${intactKinds(f.byFault)}).
`)
  }

  const flips = loadResult<any>('flips')
  sections.push(header('Every byte of a recorded handshake flipped', flips, 'flips'))
  if (flips != null) {
    for (const r of flips.figures) {
      const connected = r.connected as Array<{ direction: string, region: string, offset: number, intact: boolean }>
      sections.push(`**${r.muxer}: ${n(r.flips)} handshakes over TCP, one flipped bit each, ${r.misplaced.length} failing at the wrong stage or unnamed.**
Regions (bytes, dialer → listener): ${(r.layout.toListener as any[]).map(s => `${s.region} ${s.start}–${s.end - 1}`).join(', ')}.

| direction and region | who noticed, stage: error ← innermost cause |
|---|---|
${Object.entries(r.tallies as Record<string, Tally>).map(([where, tally]) => `| ${where} | ${tallyCell(tally)} |`).join('\n')}

${connected.length === 0
  ? 'No flip produced a connection.'
  : `${connected.length} flip(s) produced a connection that carried data intact: ${connected.map(c => `${c.direction} byte ${c.offset} (${c.region}, byte ${c.offset - regionStart(r.layout[c.direction], c.region) - 4} of its protobuf)`).join(', ')}. Byte 0 of the Exchange is its first field's tag: the flip changes only the wire type, which the protobuf decoder does not check, so the decoded Exchange is the one that was signed.`}
`)
    }
  }

  const kill = loadResult<any[]>('kill')
  sections.push(header('Peers killed with SIGKILL', kill, 'kill'))
  if (kill != null) {
    const rows = new Map<string, any[]>()
    for (const r of kill.figures) rows.set(`${r.scenario} | ${r.muxer}`, [...(rows.get(`${r.scenario} | ${r.muxer}`) ?? []), r])
    sections.push(`The peer runs in a child process, stopped and killed at an upgrade progress event (mid-handshake) or once 256 KiB
came back (mid-transfer). Time is from the kill to the survivor's error event (every timeout is ≥ 10 s, so none of these is a timer).

| scenario | muxer | kills | survivor saw | ms to error (max) | listener served the next dial |
|---|---|---|---|---|---|
${[...rows.entries()].map(([key, results]) => {
  const errors: Tally = {}
  for (const r of results) errors[r.outcome.kind === 'named-error' ? `${r.outcome.causes[0]} ← ${r.outcome.causes[r.outcome.causes.length - 1]}` : r.outcome.kind] = (errors[r.outcome.kind === 'named-error' ? `${r.outcome.causes[0]} ← ${r.outcome.causes[r.outcome.causes.length - 1]}` : r.outcome.kind] ?? 0) + 1
  const served = results.every(r => r.servedNext == null) ? 'n/a (the listener died)' : `${results.filter(r => r.servedNext === true).length}/${results.length}`
  return `| ${key} | ${results.length} | ${tallyCell(errors)} | ${Math.max(...results.map(r => r.msToError)).toFixed(0)} | ${served} |`
}).join('\n')}
`)
  }

  const load = loadResult<any[]>('load')
  sections.push(header('Load: concurrent dials from separate processes', load, 'load'))
  if (load != null) {
    for (const r of load.figures) sections.push(renderLoad(r))
  }
  const contended = loadResult<any[]>('load-while-dialing')
  if (contended != null) {
    sections.push(`#### The same load, each connection exchanging as soon as it is up while the others still dial

\`${contended.command}\` — ${contended.seconds} s on ${contended.machine}, ${contended.finished.slice(0, 10)}.
`)
    for (const r of contended.figures) sections.push(renderLoad(r))
  }

  const soak = loadResult<any>('soak')
  sections.push(header('Soak: connection churn', soak, 'soak'))
  if (soak != null) sections.push(renderSoak(soak.figures))

  return sections.join('\n')
}

export function renderSoak (s: any): string {
  return `${n(s.connections)} connections opened, used (${s.streamsPerConnection} streams × ${n(s.bytesPerStream)} bytes echoed, verified) and closed
over ${s.seconds.toFixed(0)} s, ${s.concurrency} at a time. Samples after a forced GC: heap ${mb(s.heap.baseline)} at the start of the churn,
${mb(s.heap.last)} at its end, trend ${s.heap.slopePerMinute >= 0 ? '+' : ''}${mb(s.heap.slopePerMinute)}/min; file descriptors ${s.fds.baseline} before,
at most ${s.fds.max} during, ${s.fds.after} after; timers and sockets (active resources) ${s.resources.baseline} before, ${s.resources.after} after.
Outcomes: ${tallyCell(s.outcomes)}. **Bytes lost: ${n(s.bytesLost)}; leaks found: ${s.leaks.length === 0 ? 0 : s.leaks.join('; ')}.**
`
}

function kib (bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${n(Math.round(bytes / 1024))} KiB`
}

export function mb (bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** What no SECIO implementation can promise, whatever the figures above say, and what to use instead. */
const SECIO_LIMITS = `### Where SECIO itself cannot protect

- **Reordered, dropped and old replayed frames.** SECIO's MAC covers each frame's ciphertext with no sequence
  number, so a reordered or dropped frame verifies; the keystream then no longer lines up and what follows decrypts
  to garbage. Uplink refuses replays of the last 128 frames (\`ReplayedFrameError\`), but reordering and dropping are
  left to the muxer's framing to notice (the frame-reorder and frame-drop rows of the faults region: whatever the
  muxer made of the garbage; SECIO guarantees nothing there). Truncation at a frame boundary looks like a clean end.
- **Identities travel in clear text.** Both Proposes carry the peers' public keys unencrypted: an observer learns who
  is talking to whom. The Exchange's protobuf framing is not signed either (only its values are), which is why one
  flipped tag byte above still connects, harmlessly.
- **Use instead** \`@chainsafe/libp2p-noise\` or \`@libp2p/tls\` where the peer supports them: both number their records
  (detecting reordering, dropping, replay and truncation) and encrypt the identity exchange. Uplink takes either as a
  crypto module unchanged; keep SECIO for peers that speak nothing else.
`

export function renderHostile (): string {
  const sections: string[] = []
  const hostile = loadResult<any>('hostile')
  sections.push(header('Hostile peers over real sockets', hostile, 'hostile'))
  if (hostile != null) sections.push(renderHostileFigures(hostile.figures))
  const specs = loadResult<any[]>('specs')
  sections.push(header('The hostile-input specs already in the suite', specs, 'specs'))
  if (specs != null) {
    sections.push(`They run on every \`npm test\`; here with their counts, on in-memory pairs unless the name says sockets.

| spec | tests | passed | failed | s |
|---|---|---|---|---|
${specs.figures.map(f => `| \`${f.file.replace('/dist/test/', '/test/').replace(/\.js$/, '.ts')}\` | ${f.tests} | ${f.passes} | ${f.failures} | ${f.seconds.toFixed(1)} |`).join('\n')}
`)
  }
  sections.push(SECIO_LIMITS)
  return sections.join('\n')
}

function renderHostileFigures (h: any): string {
  const cases = h.cases as Array<{ attack: string, phase?: string, causes: string[], stage?: string, closedAfterMs: number, held: boolean }>
  const f = h.failed
  const flood = h.flood
  return `A hostile SECIO peer of our own (the SECIO tests' \`FakePeer\`, written from the spec) against a real Uplink listener
(secio + yamux, upgrader + \`@uplink/tcp\`) over TCP. Slowloris sends all but the last byte of the phase's honest message, one
byte every ${h.slowloris.dripEvery} ms, against the default ${h.slowloris.upgradeTimeout} ms upgrade deadline.

| attack | phase | listener's error (outermost … innermost) | stage | socket closed after | held |
|---|---|---|---|---|---|
${cases.map(c => `| ${c.attack} | ${c.phase ?? '—'} | ${c.causes.join(' ← ') || '—'} | ${c.stage ?? '—'} | ${c.closedAfterMs.toFixed(0)} ms | ${c.held ? 'yes' : '**no**'} |`).join('\n')}

**${n(f.handshakes)} failed handshakes** (a Propose of random bytes each; ${tallyCell(f.errors)}), measured after a forced GC at once
after the last failure, without waiting for any timer: heap ${mb(f.heap.baseline)} before, ${mb(f.heap.after)} after (${kib(f.heap.growth)}; bound ${mb(h.heapSlack)});
${f.retained == null ? '' : `of the sockets the listener accepted, ${n(f.retained.sockets)} still reachable, of its upgrade errors ${n(f.retained.errors)}; `}file descriptors ${f.fds.baseline} → ${f.fds.after}; active timers and sockets ${f.resources.baseline} → ${f.resources.after}; pending upgrades ${f.pendingAfter}.

**${n(flood.sockets)} half-open sockets** from one host (127.0.0.2), default limits: ${n(flood.closedByListener)} closed by the listener,
${flood.pendingUpgrades} upgrades pending and ${flood.listenerFds} descriptors held by the listener at the height of the flood; an honest
peer dialed meanwhile was ${flood.honestServed ? 'served, every byte intact' : '**not served**'}; descriptors ${flood.baselineFds} before, ${flood.fdsAfter} after.
`
}

const ms = (value: number): string => `${n(Math.round(value))} ms`
const s1 = (value: number): string => `${value.toFixed(1)} s`

function renderLoad (r: any): string {
  const whileDialing = r.exchange === 'while-dialing'
  const lines = [`secio + ${r.muxer}: **${n(r.connections)} connections dialed at once from ${r.shape.processes} processes** (${n(r.connected)} upgraded, in ${r.dialSeconds.toFixed(1)} s;
at most ${r.peakPendingUpgrades} inbound upgrades pending at once on the listener, whose inbound limits were raised to the burst), ${whileDialing ? 'each' : 'then each'}
exchanged ${n(r.shape.messagesPerConnection)} messages (1–${r.shape.maxMessage} bytes, one \`send()\` each) over ${r.shape.streams} echo streams${whileDialing ? ' as soon as it was up, while the others still dialed' : ''}:
${n(r.messagesSent)} messages, ${n(r.bytesSent)} bytes, in ${r.seconds.toFixed(0)} s. Outcomes: ${tallyCell(r.outcomes)}.
**Bytes lost: ${n(r.bytesLost)}.**`]
  const h = r.handshakes
  if (h != null) {
    const stage = (name: string, label: string): string => {
      const f = h.stages[name]
      return f == null ? `${label} none` : `${label} ${ms(f.p50)} / ${ms(f.p90)} / ${ms(f.max)} (${n(f.reached)})`
    }
    lines.push(`
Upgrade deadline ${ms(r.upgradeTimeout)}. On the listener (p50 / p90 / max, ms since the socket was accepted, and how many got there):
${stage('first-byte', 'first byte')}; ${stage('upgrader:crypto-negotiated', 'crypto negotiated')}; ${stage('upgrader:secured', 'secured')}; ${stage('upgrader:muxer-negotiated', 'muxer negotiated')}.
${h.accepted == null ? '' : `Accepted ${ms(h.accepted.p50)} / ${ms(h.accepted.p90)} / ${ms(h.accepted.max)} after the dials began (${n(h.upgrades)} of ${n(r.connections)} sockets accepted by the end of the run): Node.js accepts one connection per event-loop turn (libuv 1.45+, libuv/libuv#3696), so a burst waits in the kernel's accept queue, where only the dialer's deadline runs.`}
${Object.keys(h.failures).length === 0 ? 'No inbound upgrade failed.' : `Failed inbound upgrades, by the last stage reached: ${tallyCell(h.failures)}.`}
Listener event-loop delay ${ms(r.eventLoopDelay.p50)} / ${ms(r.eventLoopDelay.p99)} (p99) / ${ms(r.eventLoopDelay.max)} while dialing.`)
  }
  if (r.cpu != null) {
    const sched = r.sched == null
      ? ''
      : ` The listener's main thread ran ${s1(r.sched.listener.running)} and waited ready to run, with no core free, ${s1(r.sched.listener.waiting)}; the dialers' ran ${s1(r.sched.dialers.running)} and waited ${s1(r.sched.dialers.waiting)}.`
    const verdict = r.sched == null
      ? ''
      : r.sched.listener.waiting > r.sched.listener.running
        ? ' The listener spent longer waiting for a core than running: the machine was saturated (by this run\'s processes and whatever else ran), so its handshakes waited for CPU, not for Uplink.'
        : ' The listener ran at least as long as it waited for a core: what it ran was the bottleneck.'
    lines.push(`CPU while dialing: listener ${s1(r.cpu.listener)}, dialers ${s1(r.cpu.dialers)}, ${Math.round(100 * r.cpu.busy)} % of the ${r.cpu.cores} cores over ${s1(r.dialSeconds)} (load average ${r.cpu.loadBefore.toFixed(1)} before the run).${sched}${verdict}`)
  }
  return `${lines.join('\n')}
`
}
