// `npm run bench`: our client against the physical limit and the two clients a user would
// otherwise have (the seed client, the official CLI's algorithm), on the simulator in virtual
// time; then bundle, activation, tree, CPU, monitor-scale and foundation figures. Prints tables
// and writes test/artifacts/bench.json. Exits 1 only if OUR client broke a correctness count.
// Flags: --quick (skip the ~10 s activation run), --no-vsix (skip packaging the .vsix).
import fs from 'node:fs';
import path from 'node:path';
import { activationTime } from './extras/activationTime';
import { bundleSize, vsixSize } from './extras/artifactSizes';
import { cpuPerRequest, cpuPerRequestText } from './extras/cpuPerRequest';
import { learningWorkloads, learningWorkloadsText } from './realtime/learningWorkloads';
import { foundationCheck, foundationReport } from './extras/foundationCheck';
import { monitorScale, monitorScaleReport } from './extras/monitorScale';
import { thousandInstances, treeRefresh, treeRefreshText } from './extras/treeRefresh';
import { waitsAtScale, waitsAtScaleText } from './extras/waitsAtScale';
import { goalsReport } from './harness/goals';
import { BENCH_SEED } from './harness/scenario';
import { ratiosSummary } from './harness/summary';
import { bytes } from './harness/table';
import { workloadReport } from './harness/workloadReport';
import { realtimeReport, runRealtime } from './realtime';
import { workloads } from './workloads';
import { runWorkload, type WorkloadResult } from './workloads/workload';

const ARTIFACT = path.resolve(__dirname, '../artifacts/bench.json');

const BASELINES = [
  'seed: one global 0.5 s spacing; 429 -> Retry-After (seconds) or 2**attempt s (2, 4, 8, 16), 5 attempts; no other retry; waits poll show-instance at 5 s x1.5 up to 30 s; no cache',
  'cli:  VastClient._request: 3 attempts, retries 429/502/503/504/network for every method at 0.15 s x1.5; ignores Retry-After/threshold; 120 s timeout; no cache, no spacing; waits poll show-instance every 10 s',
  'both: the tree is a v1 list (all pages) every 30 s; a wait ends on the first error its request layer gives up on; creates go one by one, moving to the next offer after a failure (<= 5 tries per slot)',
];

async function main(): Promise<number> {
  const started = Date.now();
  const flags = new Set(process.argv.slice(2));
  const say = (text = '') => console.log(text);
  say(`Vast.ai GPU Explorer benchmark: simulator (seed ${BENCH_SEED}, Vast mode unless said), virtual time, real HTTP`);
  say('Rows: ours = VastClient + InstanceMonitor + provisionInstances; seed and cli = the baselines (test/bench/baselines)');
  for (const line of BASELINES) say(`  ${line}`);
  say('Counts come from the simulator request log. "in cooldown" = requests sent inside the wait a 429 asked for or implied');
  say('(Retry-After, else threshold= or the published penalty). min gap/interval: smallest gap between two requests of a class.');
  say();

  // Measured first: the activation run below rebuilds dist/ without --production.
  const bundle = bundleSize();

  const results: WorkloadResult[] = [];
  for (const workload of workloads()) {
    const result = await runWorkload(workload);
    results.push(result);
    say(workloadReport(result));
    say();
  }

  say('Also measured');
  say('-------------');
  const scale = await monitorScale();
  const foundation = await foundationCheck();
  const tree = await treeRefresh(await thousandInstances());
  const cpu = await cpuPerRequest();
  const learning = await learningWorkloads();
  say(
    bundle.value
      ? `Bundle: activation loads ${bytes(bundle.value.activationBytes)} (${bytes(bundle.value.activationGzipBytes)} gzipped); ` +
          `the session runtime adds ${bytes(bundle.value.sessionBytes)} when the view first shows; ` +
          `all ${bundle.value.pieces} pieces ${bytes(bundle.value.totalBytes)} (flows and the demo simulator load on use)${bundle.note ? ` [${bundle.note}]` : ''}`
      : `Bundle: ${bundle.note}`,
  );
  const vsix = vsixSize(flags.has('--no-vsix'));
  say(`Package .vsix: ${vsix.value !== undefined ? bytes(vsix.value) : vsix.note}${vsix.value !== undefined && vsix.note ? ` [${vsix.note}]` : ''}`);
  const activation = activationTime(flags.has('--quick'));
  say(`Extension activation: ${activation.value !== undefined ? `${activation.value.toFixed(1)} ms` : activation.note}${activation.value !== undefined && activation.note ? ` [${activation.note}]` : ''}`);
  say(`Tree refresh, 1,000 instances: ${treeRefreshText(tree)}`);
  say(cpuPerRequestText(cpu));
  say(monitorScaleReport(scale));
  say(learningWorkloadsText(learning));
  const waits = await waitsAtScale();
  const waitsText = waitsAtScaleText(waits);
  say(`Waits at scale: ${waitsText.latency}; ${waitsText.requests}`);
  say(foundationReport(foundation));
  say();
  say(ratiosSummary(results));
  say();
  const worstWaitMs = waits.latenciesMs.length === waits.waits ? Math.max(...waits.latenciesMs) : Infinity;
  const waitRatio = waits.requestsPerMinWaits / waits.requestsPerMinNoWaits;
  say(
    goalsReport([
      {
        figure: 'Bundle loaded at activation (extension.js + the pieces it requires; production, minified)',
        value: bundle.value ? `${bytes(bundle.value.activationBytes)} (+${bytes(bundle.value.sessionBytes)} when the view shows; ${bytes(bundle.value.totalBytes)} in all)` : bundle.note,
        goal: '<= 120 KB',
        met: bundle.value ? bundle.value.activationBytes <= 120 * 1024 : undefined,
      },
      {
        figure: 'Activation (activate() to its return, integration host)',
        value: activation.value !== undefined ? `${activation.value.toFixed(1)} ms` : activation.note,
        goal: '< 25 ms',
        met: activation.value !== undefined ? activation.value < 25 : undefined,
      },
      {
        figure: 'Tree refresh, 1,000 instances (median)',
        value: `${tree.medianMs.toFixed(2)} ms (${tree.redrawn} rows redrawn; ${tree.pollMedianMs.toFixed(2)} ms when a new poll arrives)`,
        goal: '<= 5 ms',
        met: tree.medianMs <= 5,
      },
      {
        figure: 'Client CPU per 1,000 show-instance requests',
        value: `${cpu.oursShowMs.toFixed(0)} ms (CLI baseline ${cpu.cliShowMs.toFixed(0)} ms; median ratio of interleaved rounds ${cpu.showRatio.toFixed(2)})`,
        goal: '<= the CLI baseline (ratio <= 1.00)',
        met: cpu.showRatio <= 1,
      },
      {
        figure: `Wait resolved after its instance ran (${waits.instances} instances, ${waits.waits} waits, worst)`,
        value: Number.isFinite(worstWaitMs) ? `${(worstWaitMs / 1000).toFixed(1)} s` : `${waits.latenciesMs.length}/${waits.waits} resolved`,
        goal: '<= 6 s',
        met: worstWaitMs <= 6000,
      },
      {
        figure: `List requests/min with ${waits.waits} waits vs none (${waits.instances} instances)`,
        value: `${waitRatio.toFixed(2)}x (${waits.requestsPerMinWaits.toFixed(1)} vs ${waits.requestsPerMinNoWaits.toFixed(1)})`,
        goal: '<= 1.15x',
        met: waitRatio <= 1.15,
      },
    ]),
  );
  say();

  // Real timers, real processes: beside the virtual-time tables above (--no-realtime skips them).
  const realtime = flags.has('--no-realtime') ? [] : await runRealtime(say);
  if (realtime.length) {
    say();
    say(realtimeReport(realtime));
  }

  const broken = [...results.flatMap((r) => r.broken), ...(foundation.failed ? [`foundation: ${foundation.failed} searches failed`] : [])];
  say(broken.length ? `Correctness of our client: BROKEN\n${broken.map((b) => `  ${b}`).join('\n')}` : 'Correctness of our client: OK (no duplicate, no lost instance, no failed operation; stale served; recovered)');

  fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
  const json = {
    seed: BENCH_SEED,
    wallMs: Date.now() - started,
    realtime: realtime.map(({ workload, result, error }) => ({ id: workload.id, title: workload.title, rows: result?.rows, notes: result?.notes, error })),
    workloads: results.map(({ workload, results: clients, broken: reasons }) => ({
      id: workload.id,
      title: workload.title,
      idealMs: workload.idealMs,
      idealDefinition: workload.idealDefinition,
      requestsNeeded: workload.requestsNeeded,
      neededDefinition: workload.neededDefinition,
      broken: reasons,
      clients: clients.map(({ client, run, server }) => ({ client, completionMs: run.completionMs, capped: run.capped, error: run.error, outcome: run.outcome, server })),
    })),
    bundle,
    vsix,
    activation,
    treeRefresh: tree,
    cpuPer1000Requests: cpu,
    realTimeLearning: learning,
    monitorScale: scale,
    waitsAtScale: waits,
    foundation,
    broken,
  };
  fs.writeFileSync(ARTIFACT, `${JSON.stringify(json, null, 2)}\n`);
  say(`Raw results: ${path.relative(process.cwd(), ARTIFACT)}; wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return broken.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
