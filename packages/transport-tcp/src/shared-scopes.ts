import type { Logger } from '@libp2p/interface'

interface Registration {
  scopes: Map<string, WeakRef<Logger>>
  scope: string
}

/** Drops a scope from its parent's table once nothing uses its logger any more. */
const forgotten = new FinalizationRegistry<Registration>(({ scopes, scope }) => {
  if (scopes.get(scope)?.deref() == null) {
    scopes.delete(scope)
  }
})

/**
 * Makes `log.newScope(scope)` hand out one logger per scope name, shared by
 * every caller while any of them still holds it, and makes the loggers it
 * hands out do the same, all the way down.
 *
 * A logger is a function of its namespace alone, and the namespaces of this
 * transport's connections carry no connection id: every connection's logger,
 * and the crypto channel's and the muxer's scoped from it, can be one object.
 * That matters because each costs about 2 KiB (two `debug` instances and their
 * properties), while an idle secured and muxed connection holds about 35 KiB in
 * all; unshared, the three loggers of a connection were a fifth of it.
 *
 * Scopes are held weakly, so the table only ever holds loggers someone uses:
 * a closed stream's scope (a muxer scopes one per stream id) goes with it.
 * `log` is changed in place and returned.
 *
 * One thing a shared logger keeps: `@libp2p/logger` decides whether a logger
 * traces when it makes it, so `enable('…:trace')` at run time reaches the
 * connections of a scope once it is made again (no connection holds it),
 * rather than the next connection. `DEBUG` set at start-up is unaffected.
 */
export function shareScopes (log: Logger): Logger {
  const scopeOf = log.newScope
  let scopes: Map<string, WeakRef<Logger>> | undefined

  log.newScope = (scope: string): Logger => {
    scopes ??= new Map()
    let child = scopes.get(scope)?.deref()

    if (child == null) {
      child = shareScopes(scopeOf.call(log, scope))
      scopes.set(scope, new WeakRef(child))
      forgotten.register(child, { scopes, scope })
    }

    return child
  }

  return log
}
