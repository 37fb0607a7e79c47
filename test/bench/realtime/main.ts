// Only the real-time workloads: `node esbuild.js && node --import tsx test/bench/realtime/main.ts`
// (`npm run bench` runs them too, after the virtual-time tables).
import { realtimeReport, runRealtime } from './index';

runRealtime((line) => console.log(line))
  .then((outcomes) => {
    console.log();
    console.log(realtimeReport(outcomes));
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
