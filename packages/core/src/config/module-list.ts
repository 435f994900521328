import { InvalidParametersError } from '@libp2p/interface'
import { describeValue, isClass } from './describe-value.js'
import type { Module, UplinkComponents } from '../components.js'

/** One kind of module a configuration lists, as the user knows it. */
export interface ModuleKind {
  /** what one module is called in messages, e.g. `crypto channel` */
  noun: string
  /** the factory call a user would write, e.g. `secio()` */
  example: string
  /** the methods every instance has: they tell a module of this kind from one of another */
  methods: string[]
}

export const TRANSPORT: ModuleKind = { noun: 'transport', example: 'tcp()', methods: ['dial', 'createListener', 'dialFilter', 'listenFilter'] }
export const CRYPTO_CHANNEL: ModuleKind = { noun: 'crypto channel', example: 'secio()', methods: ['secureInbound', 'secureOutbound'] }
export const STREAM_MUXER: ModuleKind = { noun: 'stream muxer', example: 'yamux()', methods: ['createStreamMuxer'] }

/**
 * Checks a list of modules found at `path` in the user's configuration and
 * returns it with every factory wrapped, so that what a factory builds is
 * checked too when the node or upgrader instantiates it (still during
 * construction). A factory's own errors (e.g. a module refusing its options)
 * pass through unchanged: they are already named by the module.
 */
export function checkModuleList<T> (list: unknown, path: string, kind: ModuleKind, options: { required: boolean }): Array<Module<T>> {
  if (list === undefined || (Array.isArray(list) && list.length === 0)) {
    if (options.required) {
      throw new InvalidParametersError(`${path} must list at least one ${kind.noun}, e.g. [${kind.example}]`)
    }

    return []
  }

  if (!Array.isArray(list)) {
    throw new InvalidParametersError(`${path} must be an array of ${kind.noun}s, e.g. [${kind.example}]; got ${describeValue(list)}`)
  }

  return list.map((module, index) => checkModule<T>(module, `${path}[${index}]`, kind))
}

function checkModule<T> (module: unknown, path: string, kind: ModuleKind): Module<T> {
  if (isClass(module)) {
    throw new InvalidParametersError(`${path} is ${describeValue(module)}: Uplink takes js-libp2p v3 module factories such as ${kind.example}, not the module classes of js-libp2p 0.2x`)
  }

  if (typeof module === 'function') {
    const factory = module as (components: UplinkComponents) => unknown
    return (components: UplinkComponents) => checkBuilt<T>(factory(components), path, kind, factory)
  }

  return checkBuilt<T>(module, path, kind)
}

function checkBuilt<T> (value: unknown, path: string, kind: ModuleKind, factory?: (components: UplinkComponents) => unknown): T {
  if (typeof value === 'object' && value !== null && kind.methods.every(method => typeof (value as Record<string, unknown>)[method] === 'function')) {
    return value as T
  }

  if (factory != null && typeof value === 'function') {
    // `crypto: [secio]`: the components went to secio(init) and a factory came back
    const call = factory.name === '' ? `a call of the factory, e.g. ${kind.example}` : `${factory.name}(), not ${factory.name}`
    throw new InvalidParametersError(`${path} returned ${describeValue(value)} instead of a ${kind.noun}: the module factory was not called; write ${call}`)
  }

  const given = factory != null ? `returned ${describeValue(value)}` : `is ${describeValue(value)}`
  throw new InvalidParametersError(`${path} ${given}, not a ${kind.noun}: expected a ${kind.noun} factory such as ${kind.example}, or an instance`)
}
