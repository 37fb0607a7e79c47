// Only the real-time workloads: `node esbuild.js && node --import tsx test/bench/realtime/main.ts [R1 R2 ...]`
// (`npm run bench` runs them too, after the virtual-time tables).
import { realtimeReport, runRealtime } from './index';

runRealtime((line) => console.log(line), process.argv.slice(2))
  .then((outcomes) => {
    console.log();
    console.log(realtimeReport(outcomes));
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
