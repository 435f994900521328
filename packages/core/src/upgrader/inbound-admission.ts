import { InboundUpgradeRefusedError } from '../errors.js'
import type { MultiaddrConnection } from '@libp2p/interface'

export interface InboundUpgradeLimits {
  /**
   * Inbound upgrades in progress at once; more are refused before any byte is
   * read.
   *
   * @default DEFAULT_MAX_PENDING_INBOUND_UPGRADES (32)
   */
  maxPending?: number

  /**
   * Inbound upgrades in progress at once from one host (IP address), so one
   * host cannot take every pending slot.
   *
   * @default DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST (8)
   */
  maxPendingPerHost?: number

  /**
   * New inbound connections accepted from one host in any one second.
   *
   * @default DEFAULT_MAX_INBOUND_UPGRADES_PER_HOST_PER_SECOND (100)
   */
  maxPerHostPerSecond?: number
}

interface HostRecord {
  pending: number
  /** Start times (ms) of the upgrades admitted in the last second, oldest first. */
  recent: number[]
}

const WINDOW_MS = 1_000

/**
 * Bounds what half-open inbound connections can hold: a pending upgrade costs
 * a socket, a deadline and handshake state until it finishes or times out.
 * `admit()` either returns a release function for the admitted upgrade or
 * throws `InboundUpgradeRefusedError` so the caller closes the socket at once.
 */
export class InboundAdmission {
  private readonly maxPending: number
  private readonly maxPendingPerHost: number
  private readonly maxPerHostPerSecond: number
  private readonly hosts = new Map<string, HostRecord>()
  private pending = 0
  private lastSweep = 0

  constructor (limits: Required<InboundUpgradeLimits>) {
    this.maxPending = limits.maxPending
    this.maxPendingPerHost = limits.maxPendingPerHost
    this.maxPerHostPerSecond = limits.maxPerHostPerSecond
  }

  get pendingUpgrades (): number {
    return this.pending
  }

  admit (maConn: MultiaddrConnection, now = Date.now()): () => void {
    this.sweep(now)
    const host = hostOf(maConn)
    const record = this.hosts.get(host) ?? { pending: 0, recent: [] }
    record.recent = record.recent.filter(start => now - start < WINDOW_MS)

    if (this.pending >= this.maxPending) {
      throw new InboundUpgradeRefusedError('pending', `${this.pending} inbound upgrades are pending, the most allowed (maxPending)`)
    }

    if (record.pending >= this.maxPendingPerHost) {
      throw new InboundUpgradeRefusedError('pending-per-host', `${record.pending} inbound upgrades from ${host} are pending, the most allowed per host (maxPendingPerHost)`)
    }

    if (record.recent.length >= this.maxPerHostPerSecond) {
      throw new InboundUpgradeRefusedError('rate-per-host', `${host} opened ${record.recent.length} connections in the last second, the most allowed (maxPerHostPerSecond)`)
    }

    this.pending++
    record.pending++
    record.recent.push(now)
    this.hosts.set(host, record)
    let released = false

    return () => {
      if (released) return
      released = true
      this.pending--
      record.pending--
    }
  }

  /**
   * Forgets hosts with nothing pending and nothing in the last second, at most
   * once a second, so the map holds only hosts active of late and no timer is
   * ever left behind.
   */
  private sweep (now: number): void {
    if (now - this.lastSweep < WINDOW_MS) return
    this.lastSweep = now

    for (const [host, record] of this.hosts) {
      if (record.pending === 0 && record.recent.every(start => now - start >= WINDOW_MS)) {
        this.hosts.delete(host)
      }
    }
  }
}

function hostOf (maConn: MultiaddrConnection): string {
  const ip = maConn.remoteAddr.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')
  return ip?.value ?? maConn.remoteAddr.toString()
}
