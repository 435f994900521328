// mocha's spec reporter, plus the plain closing line CI reads: "N passed, N failed[, N skipped]".
const { reporters } = require('mocha')

class SpecWithTotals extends reporters.Spec {
  constructor (runner, options) {
    super(runner, options)
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats
      console.log(`${passes} passed, ${failures} failed${pending > 0 ? `, ${pending} skipped` : ''}`)
    })
  }
}

module.exports = SpecWithTotals
