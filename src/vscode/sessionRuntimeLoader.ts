import { readSettings } from './settings';
import type { OutputLog } from './outputLog';

type SessionRuntime = typeof import('../ui/sessionRuntime');

/**
 * Loads the session runtime (client, monitor, node-fetch, cross-process sharing) once, on first
 * use: in the shipped build it is its own file, so activation never parses it. Sharing is set up
 * before the first client exists, as every budget must be shared from its creation.
 */
export class SessionRuntimeLoader {
  private loading?: Promise<SessionRuntime>;
  private loaded?: SessionRuntime;

  constructor(private readonly log: OutputLog) {}

  load(): Promise<SessionRuntime> {
    return (this.loading ??= import('../ui/sessionRuntime').then(
      (runtime) => {
        runtime.shareBudgets({ kind: 'window', enabled: readSettings().shareBudget, log: (line) => this.log.info(line) });
        this.loaded = runtime;
        return runtime;
      },
      (error: unknown) => {
        // Not remembered: the next command or view tries again (the caller shows the error).
        this.loading = undefined;
        throw error;
      },
    ));
  }

  /** The runtime, once loaded (always, while a session exists). */
  get current(): SessionRuntime | undefined {
    return this.loaded;
  }

  /** `vastai.shareBudget` changed; before the runtime is loaded there is nothing to change. */
  setSharing(enabled: boolean): void {
    this.loaded?.setSharing(enabled);
  }
}
