import { createUpgrader, TransportUnavailableError } from '@uplink/core'
import { cryptoModules, muxerModules, transportModules } from './modules.js'
import type { Identity } from './identity.js'
import type { CryptoName, MuxerName, PlaintextForm } from './modules.js'
import type { Transport } from '@libp2p/interface'
import type { UplinkUpgrader } from '@uplink/core'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface SessionInit {
  identity: Identity
  crypto: CryptoName[]
  muxer: MuxerName[]
  plaintextForm: PlaintextForm
  /** Milliseconds an upgrade may take. */
  timeout: number
}

/** One identity's upgrader and transports: what every verb dials and listens with. */
export interface Session {
  upgrader: UplinkUpgrader
  transports: Transport[]
  /** The transport that can dial (or listen on) the address: TCP for `/tcp/N`, WebSockets for `/tcp/N/ws`. */
  transportFor: (addr: Multiaddr, use: 'dial' | 'listen') => Transport
}

export function createSession (init: SessionInit): Session {
  const upgrader = createUpgrader({
    privateKey: init.identity.privateKey,
    connectionEncrypters: cryptoModules(init.crypto, init.plaintextForm),
    streamMuxers: muxerModules(init.muxer),
    upgradeTimeout: init.timeout
  })
  const transports = transportModules().map(module => typeof module === 'function' ? module(upgrader.components) : module)

  return {
    upgrader,
    transports,
    transportFor: (addr, use) => {
      const transport = transports.find(t => (use === 'dial' ? t.dialFilter([addr]) : t.listenFilter([addr])).length > 0)

      if (transport == null) {
        throw new TransportUnavailableError(`no transport can ${use} on ${addr.toString()} (tcp: /tcp/N, websockets: /tcp/N/ws)`)
      }

      return transport
    }
  }
}
