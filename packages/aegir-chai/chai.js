// aegir/chai as aegir 47 configures it: chai 4 with the same plugins, in the same order
// (the order matters: chaijs/chai#1298).
import chai from 'chai'
import chaiAsPromised from 'chai-as-promised'
import chaiBites from 'chai-bites'
import chaiParentheses from 'chai-parentheses'
import chaiString from 'chai-string'
import chaiSubset from 'chai-subset'

chai.use(chaiAsPromised)
chai.use(chaiParentheses)
chai.use(chaiSubset)
chai.use(chaiBites)
chai.use(chaiString)

export const expect = chai.expect
export const assert = chai.assert
export { chai }
