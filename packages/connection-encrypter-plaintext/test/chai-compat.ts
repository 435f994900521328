/**
 * The upstream compliance suite is written against aegir's chai, which adds
 * plugins the workspace's `aegir/chai` shim does not: callable property
 * assertions (`expect(x).to.exist()`) and `equalBytes` (from chai-bites).
 * Register minimal equivalents on the shared chai instance before the suite
 * runs. Importing this module is enough.
 */
import * as chai from 'chai'
import type { AssertionContext } from 'chai'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'

chai.use((c) => {
  const { Assertion } = c

  // the chaining behaviour runs on property access, so both `.exist` and
  // `.exist()` assert; the call itself is a no-op
  Assertion.addChainableMethod('exist', function () {}, function (this: AssertionContext) {
    const obj: unknown = this._obj
    this.assert(obj != null, 'expected #{this} to exist', 'expected #{this} to not exist', null)
  })

  Assertion.addMethod('equalBytes', function (this: AssertionContext, expected: Uint8Array) {
    const actual: unknown = this._obj
    this.assert(
      actual instanceof Uint8Array && uint8ArrayEquals(actual, expected),
      'expected #{this} to equal bytes #{exp}',
      'expected #{this} to not equal bytes #{exp}',
      expected,
      actual
    )
  })
})
