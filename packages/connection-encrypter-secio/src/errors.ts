/**
 * Every SECIO failure has its own `name`, so callers match on `err.name` and
 * never on the message. The original error, if any, is kept as `cause`. A
 * wrong peer is `@libp2p/interface`'s `UnexpectedPeerError` (one class across
 * every package) with `expected` and `actual` attached.
 */

/** The peer's Propose could not be decoded or carries something unusable (key type, key size, nonce). */
export class InvalidProposeError extends Error {
  static override name = 'InvalidProposeError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidProposeError'
  }
}

/** The two Proposes share no exchange, cipher or hash. */
export class NoCommonAlgorithmError extends Error {
  static override name = 'NoCommonAlgorithmError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'NoCommonAlgorithmError'
  }
}

/** Both sides have the same key and nonce: this connection loops back to ourselves. */
export class SelfConnectionError extends Error {
  static override name = 'SelfConnectionError'

  constructor (message = 'same key and nonce on both sides: a connection to ourselves', options?: ErrorOptions) {
    super(message, options)
    this.name = 'SelfConnectionError'
  }
}

/** The peer's Exchange could not be decoded or its ephemeral key is not a point on the curve. */
export class InvalidExchangeError extends Error {
  static override name = 'InvalidExchangeError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidExchangeError'
  }
}

/** The Exchange signature does not verify with the key from the peer's Propose. */
export class BadSignatureError extends Error {
  static override name = 'BadSignatureError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BadSignatureError'
  }
}

/** The first encrypted frame was not our own nonce: the peer did not derive the same keys. */
export class NonceMismatchError extends Error {
  static override name = 'NonceMismatchError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'NonceMismatchError'
  }
}

/** A frame's MAC did not verify: tampered, corrupted or keyed differently. Nothing from it is delivered. */
export class MacMismatchError extends Error {
  static override name = 'MacMismatchError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'MacMismatchError'
  }
}

/**
 * An authentic frame repeats one of the recent frames: put on the wire again by
 * someone in the middle. Refused before it is decrypted.
 */
export class ReplayedFrameError extends Error {
  static override name = 'ReplayedFrameError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ReplayedFrameError'
  }
}

/** A frame's length prefix is over the limit or shorter than a MAC. */
export class InvalidFrameLengthError extends Error {
  static override name = 'InvalidFrameLengthError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidFrameLengthError'
  }
}

/** Our own identity key cannot be used with SECIO. */
export class UnsupportedIdentityError extends Error {
  static override name = 'UnsupportedIdentityError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnsupportedIdentityError'
  }
}
