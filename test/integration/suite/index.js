// Entry point VS Code's extension host calls (extensionTestsPath): runs every *.test.js that
// runTest.js bundled from this folder's *.test.ts into out/integration, with mocha inside the extension host. Prints the spec report through the host's console and,
// when TEST_COUNTS_FILE is set, writes {passed, failed, pending} there for test/run-all.js.
// It also logs one `TEST_COUNTS {...}` line, a second channel for runners that only see the output.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class CountingSpec extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      const counts = { passed: passes, failed: failures, pending };
      console.log(`TEST_COUNTS ${JSON.stringify(counts)}`);
      if (process.env.TEST_COUNTS_FILE) fs.writeFileSync(process.env.TEST_COUNTS_FILE, JSON.stringify(counts));
    });
  }
}

function run() {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: CountingSpec,
    timeout: Number(process.env.INTEGRATION_TEST_TIMEOUT_MS || 30_000),
    grep: process.env.INTEGRATION_GREP || undefined,
  });
  const dir = path.resolve(__dirname, '..', '..', '..', 'out', 'integration');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(dir, file));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}

module.exports = { run };
