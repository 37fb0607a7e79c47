/** One figure of a real-time workload, printed beside its goal. */
export interface Figure {
  name: string;
  value: string;
  /** E.g. "<= 1.2x"; absent when the figure is context, not a target. */
  goal?: string;
  met?: boolean;
}

export interface RealtimeRow {
  /** E.g. "3 processes". */
  label: string;
  figures: Figure[];
}

export interface RealtimeResult {
  rows: RealtimeRow[];
  notes: string[];
}

/**
 * A workload on real timers: the simulator in its own process and each client in its own process
 * (see processHarness.ts). Add one by writing a file in workloads/ and listing it in index.ts.
 */
export interface RealtimeWorkload {
  id: string;
  title: string;
  run(say: (line: string) => void): Promise<RealtimeResult>;
}
