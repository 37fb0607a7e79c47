import type { Instance } from '../../vast/types';
import { Random } from '../random/prng';
import { round } from '../offers/pricing';
import type { InstanceRecord } from './record';
import { statusAt } from './timeline';

/** The `Instance` object Vast would return for this record at clock time `now`. */
export function toWireInstance(record: InstanceRecord, now: number): Instance {
  const event = statusAt(record.timeline, now);
  const hw = record.hardware;
  const running = event.status === 'running';
  const live = running || event.status === 'frozen';
  const usage = live ? utilisation(record.id, now) : undefined;
  const directEnd = record.directPortStart === null ? null : record.directPortStart + hw.direct_port_count - 1;
  const runningSince = live ? lastEntryInto(record, event.status!, now) : undefined;
  const remaining = Math.max(0, hw.end_date - now / 1000);
  return {
    id: record.id,
    actual_status: event.status,
    intended_status: record.intended,
    cur_state: record.intended,
    next_state: record.intended,
    status_msg: event.msg,
    label: record.label,
    machine_id: hw.machine_id,
    host_id: hw.host_id,
    bundle_id: hw.bundle_id,
    template_id: null,
    template_hash_id: null,
    template_name: null,
    image_uuid: record.image,
    image_args: record.args,
    image_runtype: record.runtype,
    onstart: record.onstart,
    extra_env: Object.entries(record.env),
    gpu_name: hw.gpu_name,
    num_gpus: hw.num_gpus,
    gpu_ram: hw.gpu_ram,
    gpu_totalram: hw.gpu_total_ram,
    gpu_util: usage ? (record.gpuUtil !== undefined ? record.gpuUtil : usage.gpuUtil) : null,
    gpu_temp: usage?.gpuTemp ?? null,
    cpu_name: hw.cpu_name,
    cpu_cores_effective: hw.cpu_cores_effective,
    cpu_ram: hw.cpu_ram,
    cpu_util: usage?.cpuUtil ?? null,
    mem_usage: usage ? round(usage.memShare * (hw.cpu_ram / 1024), 2) : null,
    mem_limit: live ? round(hw.cpu_ram / 1024, 2) : null,
    cuda_max_good: hw.cuda_max_good,
    driver_version: hw.driver_version,
    compute_cap: hw.compute_cap,
    disk_space: record.diskGb,
    disk_usage: usage ? round(usage.diskShare * record.diskGb, 2) : null,
    disk_util: usage ? round(usage.diskShare, 3) : null,
    ssh_host: record.sshHost,
    ssh_port: record.sshPort,
    public_ipaddr: hw.public_ipaddr,
    direct_port_start: record.directPortStart,
    direct_port_end: directEnd,
    jupyter_token: record.jupyterToken,
    ports: running ? portMap(record) : null,
    dph_total: round(record.gpuPerHour + record.storagePerHour, 6),
    dph_base: record.gpuPerHour,
    is_bid: record.bidPrice !== null,
    min_bid: hw.min_bid,
    storage_total_cost: round(record.storagePerHour, 6),
    credit_balance: null,
    start_date: record.startDate / 1000,
    end_date: hw.end_date,
    uptime_mins: runningSince === undefined ? null : round((now - runningSince) / 60_000, 2),
    duration: round(remaining, 3),
    time_remaining: `${Math.floor(remaining / 86400)} days`,
    geolocation: hw.geolocation,
    verification: hw.verification ?? null,
    reliability2: hw.reliability2,
    inet_up: hw.inet_up,
    inet_down: hw.inet_down,
    volume_info: null,
  };
}

/**
 * Docker's port map while running. SSH gets a direct port only when the machine has a direct range
 * and the runtype asks for direct access (Vast's default runtypes do; proxy-only ones do not).
 */
function portMap(record: InstanceRecord): NonNullable<Instance['ports']> {
  const ports: NonNullable<Instance['ports']> = {};
  if (record.directPortStart === null) return ports;
  const wantsDirect = record.runtype.includes('direc') || !record.runtype.includes('proxy');
  let next = record.directPortStart;
  const map = (containerPort: string) => {
    ports[`${containerPort}/tcp`] = [{ HostIp: '0.0.0.0', HostPort: String(next++) }];
  };
  if (wantsDirect) map('22');
  if (record.runtype.includes('jupyter')) map('8080');
  for (const key of Object.keys(record.env)) {
    const published = key.match(/^-p\s+(?:\d+:)?(\d+)(?:\/tcp)?$/);
    if (published) map(published[1]);
  }
  return ports;
}

/** Plausible utilisation, stable within a 10 s window so repeated reads agree. */
function utilisation(id: number, now: number) {
  const random = Random.for(id, Math.floor(now / 10_000));
  return {
    // Percent, as Vast reports it (the CLI prints it under "Util. %").
    gpuUtil: round(random.between(5, 100), 1),
    gpuTemp: random.int(38, 82),
    cpuUtil: round(random.between(0.02, 0.9), 3),
    memShare: random.between(0.1, 0.7),
    diskShare: random.between(0.1, 0.6),
  };
}

/** When the current run began; a seeded instance that starts out running has been up since `start_date`. */
function lastEntryInto(record: InstanceRecord, status: string, now: number): number {
  let since = record.startDate;
  let previous: string | null | undefined;
  record.timeline.forEach((event, i) => {
    if (event.at > now) return;
    if (event.status === status && previous !== status) since = i === 0 ? Math.min(event.at, record.startDate) : event.at;
    previous = event.status;
  });
  return since;
}
