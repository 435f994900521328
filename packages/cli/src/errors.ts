/** The command line was wrong: bad flag, missing argument, unknown verb. */
export class UsageError extends Error {
  static override name = 'UsageError'

  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** What came back on a stream was not what was sent (echo) or expected (ping). */
export class ReplyMismatchError extends Error {
  static override name = 'ReplyMismatchError'

  constructor (message: string) {
    super(message)
    this.name = 'ReplyMismatchError'
  }
}
