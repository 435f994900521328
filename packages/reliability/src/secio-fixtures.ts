// The hostile SECIO peer the SECIO package's own tests use (written from the spec, it speaks the wire
// protocol step by step so any message can be tampered with), reused here over real sockets rather than
// written twice. It lives in that package's test build, which no `exports` entry names, so it is loaded
// by path; the types come from its sources through the project reference.
import type * as HostilePeer from '../../connection-encrypter-secio/test/fixtures/hostile-peer.js'
import type * as SecioPb from '../../connection-encrypter-secio/src/pb/secio.js'

const secioBuild = new URL('../../../connection-encrypter-secio/dist/', import.meta.url)

export type FakePeer = HostilePeer.FakePeer

export const hostilePeer = await import(new URL('test/fixtures/hostile-peer.js', secioBuild).href) as typeof HostilePeer
export const secioPb = await import(new URL('src/pb/secio.js', secioBuild).href) as typeof SecioPb
