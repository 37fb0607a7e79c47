// Mocha's spec output for people, plus the pass/fail counts written to $TEST_COUNTS_FILE so that
// test/run-all.js can print one summary line over every suite (CI does not read mocha's summary).
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.TEST_COUNTS_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, pending }));
    });
  }
}

module.exports = CountingReporter;
