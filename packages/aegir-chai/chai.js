// The subset of aegir/chai that @libp2p/interface-compliance-tests uses.
import * as chai from 'chai'

export const expect = chai.expect
export const assert = chai.assert
export { chai }
