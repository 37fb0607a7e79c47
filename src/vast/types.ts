/**
 * Vast.ai's wire format, as far as the product reads or writes it (see docs/vast-api.md).
 * Fields Vast documents as nullable are nullable here; everything else Vast sends is kept as unknown extras.
 */

/** `actual_status` values. `null` means still provisioning. */
export type InstanceStatus =
  | 'created'
  | 'loading'
  | 'running'
  | 'stopped'
  | 'frozen'
  | 'exited'
  | 'rebooting'
  | 'unknown'
  | 'offline';

export interface Offer {
  id: number;
  ask_contract_id: number;
  bundle_id: number;
  machine_id: number;
  host_id: number;
  gpu_name: string;
  num_gpus: number;
  /** MB per GPU. */
  gpu_ram: number;
  gpu_total_ram: number;
  cpu_cores_effective: number;
  /** MB. */
  cpu_ram: number;
  /** GB. */
  disk_space: number;
  cuda_max_good: number;
  driver_version: string;
  compute_cap: number;
  dph_base: number;
  /** $/h including storage priced at the query's `allocated_storage`. */
  dph_total: number;
  min_bid: number;
  storage_cost: number;
  reliability: number;
  reliability2: number;
  dlperf: number;
  dlperf_per_dphtotal: number;
  total_flops: number;
  score: number;
  inet_up: number;
  inet_down: number;
  direct_port_count: number;
  static_ip: boolean;
  public_ipaddr: string;
  /** "California, US". */
  geolocation: string;
  /** Absent when Vast did not say (or said something else). */
  verification?: 'verified' | 'unverified' | 'deverified';
  verified: boolean;
  rentable: boolean;
  rented: boolean;
  external: boolean;
  datacenter: boolean;
  is_bid: boolean;
  /** Seconds the host offers the machine for. */
  duration: number;
  end_date: number;
  [extra: string]: unknown;
}

/**
 * An instance as the client hands it out, checked field by field (src/api/wireSchemas.ts): a field
 * Vast omitted or sent in a form we cannot use is null (unknown), never a wrong type.
 */
export interface Instance {
  id: number;
  actual_status: InstanceStatus | null;
  intended_status: 'running' | 'stopped' | 'frozen' | null;
  cur_state: string | null;
  next_state: string | null;
  status_msg: string | null;
  label: string | null;
  machine_id: number | null;
  host_id: number | null;
  image_uuid: string | null;
  image_runtype: string | null;
  onstart: string | null;
  gpu_name: string | null;
  num_gpus: number | null;
  gpu_ram: number | null;
  gpu_totalram: number | null;
  cpu_cores_effective: number | null;
  cpu_ram: number | null;
  gpu_util: number | null;
  gpu_temp: number | null;
  disk_space: number | null;
  ssh_host: string | null;
  ssh_port: number | null;
  public_ipaddr: string | null;
  direct_port_start: number | null;
  direct_port_end: number | null;
  jupyter_token: string | null;
  /** Docker port map; present only while running. */
  ports: Record<string, Array<{ HostIp: string; HostPort: string }>> | null;
  dph_total: number | null;
  dph_base: number | null;
  is_bid: boolean | null;
  min_bid: number | null;
  storage_total_cost: number | null;
  /** Epoch seconds (float). */
  start_date: number | null;
  end_date: number | null;
  duration: number | null;
  geolocation: string | null;
  verification: string | null;
  reliability2: number | null;
  [extra: string]: unknown;
}

export interface User {
  id: number;
  username: string;
  email: string;
  fullname: string | null;
  /** Vast calls this the balance; `balance` itself is of uncertain meaning. Null: unknown. */
  credit: number | null;
  balance: number | null;
  has_billing: boolean | null;
  can_pay: boolean | null;
  email_verified: boolean | null;
  [extra: string]: unknown;
}

/** Filter operators of the search grammar. */
export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'notin';
export type FilterValue = string | number | boolean | null | Array<string | number | boolean>;
export type OfferFilters = Record<string, Partial<Record<FilterOp, FilterValue>>>;

/** Body of `POST /api/v0/bundles/`: filters are top-level keys beside these. */
export interface SearchBody {
  order?: Array<[field: string, direction: 'asc' | 'desc']>;
  limit?: number;
  type?: 'on-demand' | 'bid' | 'reserved';
  allocated_storage?: number;
  [filter: string]: unknown;
}

/** Body of `PUT /api/v0/asks/{id}/`. */
export interface CreateInstanceBody {
  client_id?: 'me';
  image: string;
  disk: number;
  label?: string;
  onstart?: string;
  runtype?: string;
  env?: Record<string, string>;
  args?: string[];
  price?: number;
  target_state?: 'running' | 'stopped';
  cancel_unavail?: boolean;
}

export interface CreateInstanceResponse {
  success: boolean;
  new_contract: number;
  instance_api_key?: string;
}

export interface InstancesPage {
  success: boolean;
  instances_found: number;
  total_instances: number;
  label_counts: Record<string, number>;
  next_token: string | null;
  instances: Instance[];
}
