// The report's sections, in order: which rows each holds and what they measure.
import type { Section } from './report/markdown.js'

export const SECTIONS: Section[] = [
  { group: 'throughput', title: 'Throughput, one direction', chart: 'benchmarks/throughput.svg', about: 'One stream (or, for `uplink-bare`, the secured connection itself with no muxer; for raw TCP, the socket), one direction, dialer and listener in separate processes. SECIO rows force the suite on both sides.' },
  { group: 'limit', title: 'Crypto limits, one core', chart: 'benchmarks/limit.svg', about: 'Sealing 64 KiB frames in a process of its own, in the same rounds: AES-CTR then an HMAC of the ciphertext (SECIO), or ChaCha20-Poly1305 (noise). The ceiling of one sending core.' },
  { group: 'echo', title: 'go-libp2p-secio, bare SECIO echoes', chart: 'benchmarks/echo.svg', about: 'go-libp2p-secio v0.2.3 (packages/interop/go) only echoes, so these rows are echoes over bare SECIO (multistream-select, then SECIO, no muxer), AES-256/SHA256 forced: bytes echoed / time, every byte crossing both ways and checked by the dialer.' },
  { group: 'legacy', title: 'Legacy JS SECIO (libp2p 0.29 + libp2p-secio 0.13.1)', chart: 'benchmarks/legacy.svg', about: 'Repeated 4 MiB echoes (the most the legacy sender does) over one secio + mplex connection, 64 KiB writes, 1 MiB window.' },
  { group: 'handshake', title: 'Handshakes: full connection setups', chart: 'benchmarks/handshake.svg', about: 'TCP, multistream-select, crypto handshake, multistream-select, yamux, then a 1 KiB echo on a new stream, and close: a new connection each time, from a standalone Uplink upgrader to an Uplink node in another process. Latency per setup.' },
  { group: 'memory', title: 'Memory per idle connection', chart: 'benchmarks/memory.svg', about: 'The listener\'s heap + external memory after a full GC, minus the same before any connection, per idle secured + muxed connection (each echoed 1 KiB on one stream first). The same Uplink upgrader dials both listeners.' },
  { group: 'streams', title: 'Concurrent streams on one connection', about: 'All streams opened at once on one secio + yamux connection, each echoing a few bytes.' }
]
