import {
  BACK,
  type Back,
  type InputOptions,
  type NoticeKind,
  type PickItem,
  type PickOptions,
  type ProgressReporter,
  type Prompter,
} from '../../src/ui/prompter';

/** How a scripted pick chooses: an exact label, a label pattern, or a predicate. */
export type PickMatcher = string | RegExp | ((item: PickItem) => boolean);

/** What a scripted answer expects of the prompt it answers (checked; a mismatch fails the flow). */
export interface PromptExpectation {
  title?: string | RegExp;
  step?: number;
  totalSteps?: number;
  /** For confirmations: the message and detail, together. */
  text?: RegExp;
}

type Answer =
  | { kind: 'pick'; choose: PickMatcher | { custom: string } }
  | { kind: 'pickMany'; choose: PickMatcher[] }
  | { kind: 'input'; text?: string }
  | { kind: 'back' }
  | { kind: 'escape' }
  | { kind: 'confirm'; yes: boolean };

interface ScriptEntry {
  answer: Answer;
  expect: PromptExpectation;
}

interface NoticeEntry {
  kind?: NoticeKind;
  message?: RegExp;
  action?: string;
}

export interface PromptRecord {
  kind: 'pick' | 'pickMany' | 'input' | 'confirm';
  title?: string;
  step?: number;
  totalSteps?: number;
  placeholder?: string;
  /** Pick items' labels (separators included, prefixed "── "). */
  items?: string[];
  /** The items themselves. */
  rawItems?: PickItem[];
  /** Input: the prefilled value and prompt; confirm: the message. */
  value?: string;
  prompt?: string;
  message?: string;
  detail?: string;
  confirmLabel?: string;
  /** Messages `validate` gave for rejected answers, in order. */
  validation: string[];
  /** What the script answered: a label, the text, "BACK", "ESCAPE", true/false. */
  answered?: unknown;
}

/** Finds prompts by what they are: kind, title, step, or the text of the question. */
export interface PromptQuery {
  kind?: PromptRecord['kind'];
  title?: string | RegExp;
  step?: number;
  /** Matches an input's prompt, a pick's placeholder or a confirmation's message. */
  text?: RegExp;
}

function matchesQuery(p: PromptRecord, query: PromptQuery): boolean {
  if (query.kind !== undefined && p.kind !== query.kind) return false;
  if (query.step !== undefined && p.step !== query.step) return false;
  if (query.title !== undefined && !(typeof query.title === 'string' ? p.title === query.title : query.title.test(p.title ?? ''))) return false;
  if (query.text !== undefined && ![p.prompt, p.placeholder, p.message].some((t) => t !== undefined && query.text!.test(t))) return false;
  return true;
}

export interface NoticeRecord {
  kind: NoticeKind;
  message: string;
  actions: string[];
  chosen?: string;
}

export interface ProgressRecord {
  title: string;
  lines: string[];
  cancelled: boolean;
  done: boolean;
  abort(): void;
}

/**
 * A Prompter that answers from a script and records everything: every prompt (title, step,
 * items, validation messages), every notification, every progress line. A prompt the script did
 * not expect fails loudly (the error is thrown into the flow and kept in `problems`, which
 * `assertDone()` reports, so a flow that swallows it still fails the test).
 *
 * Notifications only consume a scripted answer (`onNotice`) when it matches them; the others
 * resolve with no action. `withProgress` runs the task with an AbortController the test can fire.
 */
export class ScriptedPrompter implements Prompter {
  readonly prompts: PromptRecord[] = [];
  readonly notifications: NoticeRecord[] = [];
  readonly progress: ProgressRecord[] = [];
  readonly problems: string[] = [];
  private readonly script: ScriptEntry[] = [];
  private readonly scriptedNotices: NoticeEntry[] = [];
  private readonly progressRules: Array<{ title?: RegExp; whenReported?: RegExp; immediately?: boolean }> = [];

  // ---- building the script (chainable) ----

  /** Picks the item with this label (or matching pattern / predicate). */
  choose(matcher: PickMatcher, expect: PromptExpectation = {}): this {
    return this.add({ kind: 'pick', choose: matcher }, expect);
  }

  /** Types a value that is not in the list (the pick's `custom`). */
  chooseTyped(text: string, expect: PromptExpectation = {}): this {
    return this.add({ kind: 'pick', choose: { custom: text } }, expect);
  }

  chooseMany(matchers: PickMatcher[], expect: PromptExpectation = {}): this {
    return this.add({ kind: 'pickMany', choose: matchers }, expect);
  }

  /** Types into an input box and presses Enter. A value `validate` rejects needs a next answer. */
  type(text: string, expect: PromptExpectation = {}): this {
    return this.add({ kind: 'input', text }, expect);
  }

  /** Presses Enter on an input box, keeping the value it was prefilled with. */
  enter(expect: PromptExpectation = {}): this {
    return this.add({ kind: 'input' }, expect);
  }

  /** The Back button on the next prompt (pick or input). */
  back(expect: PromptExpectation = {}): this {
    return this.add({ kind: 'back' }, expect);
  }

  /** Escape on the next prompt (pick, input, or a confirmation: declining). */
  escape(expect: PromptExpectation = {}): this {
    return this.add({ kind: 'escape' }, expect);
  }

  /** Answers the next modal confirmation. */
  confirmWith(yes: boolean, expect: PromptExpectation = {}): this {
    return this.add({ kind: 'confirm', yes }, expect);
  }

  /** Clicks `action` on the next notification matching kind and message. */
  onNotice(kind: NoticeKind, message: RegExp, action?: string): this {
    this.scriptedNotices.push({ kind, message, action });
    return this;
  }

  /** Cancels progress notifications with this title: at once, or when a line matches. */
  cancelProgress(title?: RegExp, when: { whenReported?: RegExp } = {}): this {
    this.progressRules.push({ title, whenReported: when.whenReported, immediately: when.whenReported === undefined });
    return this;
  }

  /** Presses Cancel on the running progress notifications (matching `title`). */
  abortProgress(title?: RegExp): number {
    const running = this.progress.filter((p) => !p.done && (!title || title.test(p.title)));
    running.forEach((p) => p.abort());
    return running.length;
  }

  /** Fails unless every scripted answer was used and nothing unexpected was asked. */
  assertDone(): void {
    const left = [...this.script.map((e) => describeAnswer(e.answer)), ...this.scriptedNotices.map((n) => `notice ${n.kind} ${n.message}`)];
    const messages = [...this.problems];
    if (left.length) messages.push(`the flow ended with scripted answers left: ${left.join(', ')}`);
    if (messages.length) throw new Error(`ScriptedPrompter: ${messages.join('; ')}\nPrompts seen:\n${this.transcript()}`);
  }

  /** Prompts and notifications in order, one a line: for failure messages. */
  transcript(): string {
    return [
      ...this.prompts.map((p) => `  ${p.kind} "${p.title ?? p.message}"${p.step ? ` (${p.step}/${p.totalSteps})` : ''} → ${String(p.answered)}`),
      ...this.notifications.map((n) => `  notify ${n.kind}: ${n.message}${n.chosen ? ` → ${n.chosen}` : ''}`),
    ].join('\n');
  }

  /** Notifications of one kind. */
  noticesOf(kind?: NoticeKind): NoticeRecord[] {
    return this.notifications.filter((n) => kind === undefined || n.kind === kind);
  }

  /** The prompts matching `query`, in the order they were shown. */
  promptsWhere(query: PromptQuery): PromptRecord[] {
    return this.prompts.filter((p) => matchesQuery(p, query));
  }

  /**
   * The prompt matching `query` (the `occurrence`-th one, from 1; -1 for the last), or a failure
   * naming every prompt seen: tests find prompts by what they are, never by their index.
   */
  prompt(query: PromptQuery, occurrence = 1): PromptRecord {
    const matching = this.promptsWhere(query);
    const found = occurrence < 0 ? matching.at(occurrence) : matching[occurrence - 1];
    if (!found) throw new Error(`ScriptedPrompter: no prompt #${occurrence} matching ${JSON.stringify(query, (_k, v) => (v instanceof RegExp ? String(v) : v))}\nPrompts seen:\n${this.transcript()}`);
    return found;
  }

  lastPrompt(): PromptRecord | undefined {
    return this.prompts[this.prompts.length - 1];
  }

  // ---- the Prompter ----

  async pick<T extends PickItem>(source: readonly T[] | (() => Promise<readonly T[]>), options: PickOptions<T>): Promise<T | Back | undefined> {
    const items = typeof source === 'function' ? await source() : source;
    const record = this.record('pick', options, { items });
    const entry = this.next(record, ['pick', 'back', 'escape']);
    if (entry.answer.kind === 'back') return this.answered(record, BACK, 'BACK', options.step);
    if (entry.answer.kind === 'escape') return this.answered(record, undefined, 'ESCAPE');
    const choose = (entry.answer as Extract<Answer, { kind: 'pick' }>).choose;
    if (typeof choose === 'object' && 'custom' in choose) {
      if (!options.custom) this.fail(`pick "${options.title}" has no custom entry, but the script typed "${choose.custom}"`);
      const item = options.custom!(choose.custom);
      if (!item) this.fail(`pick "${options.title}" refused the typed value "${choose.custom}"`);
      return this.answered(record, item, item!.label);
    }
    const item = findItem(items, choose as PickMatcher);
    if (!item) this.fail(`pick "${options.title}" has no item ${String(choose)}; items: ${labels(items).join(' | ')}`);
    return this.answered(record, item, item!.label);
  }

  async pickMany<T extends PickItem>(items: readonly T[], options: PickOptions<T>): Promise<T[] | Back | undefined> {
    const record = this.record('pickMany', options, { items });
    const entry = this.next(record, ['pickMany', 'back', 'escape']);
    if (entry.answer.kind === 'back') return this.answered(record, BACK, 'BACK', options.step);
    if (entry.answer.kind === 'escape') return this.answered(record, undefined, 'ESCAPE');
    const chosen = (entry.answer as Extract<Answer, { kind: 'pickMany' }>).choose.map((matcher) => {
      const item = findItem(items, matcher);
      if (!item) this.fail(`pickMany "${options.title}" has no item ${String(matcher)}; items: ${labels(items).join(' | ')}`);
      return item!;
    });
    return this.answered(record, chosen, chosen.map((i) => i.label));
  }

  async input(options: InputOptions): Promise<string | Back | undefined> {
    const record = this.record('input', options, {});
    for (;;) {
      const entry = this.next(record, ['input', 'back', 'escape']);
      if (entry.answer.kind === 'back') return this.answered(record, BACK, 'BACK', options.step);
      if (entry.answer.kind === 'escape') return this.answered(record, undefined, 'ESCAPE');
      const text = (entry.answer as Extract<Answer, { kind: 'input' }>).text ?? options.value ?? '';
      const problem = options.validate?.(text);
      if (problem === undefined) return this.answered(record, text, text);
      record.validation.push(problem);
      if (!this.script.length) this.fail(`input "${options.title}" rejected "${text}" (${problem}) and the script has no further answer`);
    }
  }

  async confirm(message: string, options: { detail?: string; confirm: string }): Promise<boolean> {
    const record: PromptRecord = { kind: 'confirm', message, detail: options.detail, confirmLabel: options.confirm, validation: [] };
    this.prompts.push(record);
    const entry = this.next(record, ['confirm', 'escape']);
    const yes = entry.answer.kind === 'confirm' && entry.answer.yes;
    record.answered = yes;
    return yes;
  }

  async notify(kind: NoticeKind, message: string, ...actions: string[]): Promise<string | undefined> {
    const record: NoticeRecord = { kind, message, actions };
    this.notifications.push(record);
    const scripted = this.scriptedNotices[0];
    if (scripted && (!scripted.kind || scripted.kind === kind) && (!scripted.message || scripted.message.test(message))) {
      this.scriptedNotices.shift();
      if (scripted.action !== undefined && !actions.includes(scripted.action)) {
        this.fail(`notification "${message}" has no action "${scripted.action}" (it has: ${actions.join(', ') || 'none'})`);
      }
      record.chosen = scripted.action;
      return scripted.action;
    }
    return undefined;
  }

  async withProgress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const record: ProgressRecord = {
      title,
      lines: [],
      cancelled: false,
      done: false,
      abort: () => {
        if (controller.signal.aborted) return;
        record.cancelled = true;
        controller.abort(new DOMException('Cancelled.', 'AbortError'));
      },
    };
    this.progress.push(record);
    const rules = this.progressRules.filter((rule) => !rule.title || rule.title.test(title));
    const reporter: ProgressReporter = {
      report: (line) => {
        record.lines.push(line);
        if (rules.some((rule) => rule.whenReported?.test(line))) queueMicrotask(record.abort);
      },
    };
    if (rules.some((rule) => rule.immediately)) queueMicrotask(record.abort);
    try {
      return await task(reporter, controller.signal);
    } finally {
      record.done = true;
    }
  }

  // ---- internals ----

  private add(answer: Answer, expect: PromptExpectation): this {
    this.script.push({ answer, expect });
    return this;
  }

  private record(kind: 'pick' | 'pickMany' | 'input', options: PickOptions<PickItem> | InputOptions, extra: { items?: readonly PickItem[] }): PromptRecord {
    const record: PromptRecord = {
      kind,
      title: options.title,
      step: options.step,
      totalSteps: options.totalSteps,
      placeholder: options.placeholder,
      validation: [],
    };
    if (extra.items) {
      record.items = extra.items.map((i) => (i.separator ? `── ${i.label}` : i.label));
      record.rawItems = [...extra.items];
    }
    if (kind === 'input') {
      record.value = (options as InputOptions).value;
      record.prompt = (options as InputOptions).prompt;
    }
    this.prompts.push(record);
    return record;
  }

  private next(record: PromptRecord, accepted: Array<Answer['kind']>): ScriptEntry {
    const what = `${record.kind} "${record.title ?? record.message}"${record.step ? ` (${record.step}/${record.totalSteps})` : ''}`;
    const entry = this.script.shift();
    if (!entry) return this.fail(`the flow asked ${what} but the script has no more answers`);
    if (!accepted.includes(entry.answer.kind)) this.fail(`the flow asked ${what} but the script expected ${describeAnswer(entry.answer)}`);
    const { title, step, totalSteps, text } = entry.expect;
    if (title !== undefined && !(typeof title === 'string' ? record.title === title : title.test(record.title ?? ''))) {
      this.fail(`${what}: expected the title ${String(title)}`);
    }
    if (step !== undefined && record.step !== step) this.fail(`${what}: expected step ${step}`);
    if (totalSteps !== undefined && record.totalSteps !== totalSteps) this.fail(`${what}: expected ${totalSteps} steps`);
    if (text !== undefined && !text.test(`${record.message ?? ''}\n${record.detail ?? ''}`)) this.fail(`${what}: expected the text ${String(text)}`);
    return entry;
  }

  private answered<V>(record: PromptRecord, value: V, shown: unknown, step?: number): V {
    if (value === BACK && !(step !== undefined && step > 1)) {
      // VS Code shows no Back button on a first step; a script pressing it is a mistake.
      this.fail(`${record.kind} "${record.title}" has no Back button (step ${step ?? 'none'})`);
    }
    record.answered = shown;
    return value;
  }

  private fail(message: string): never {
    this.problems.push(message);
    throw new Error(`ScriptedPrompter: ${message}`);
  }
}

function findItem<T extends PickItem>(items: readonly T[], matcher: PickMatcher): T | undefined {
  const pickable = items.filter((item) => !item.separator);
  if (typeof matcher === 'string') return pickable.find((item) => item.label === matcher);
  if (matcher instanceof RegExp) return pickable.find((item) => matcher.test(item.label));
  return pickable.find((item) => matcher(item));
}

function labels(items: readonly PickItem[]): string[] {
  return items.map((i) => (i.separator ? `── ${i.label}` : i.label));
}

function describeAnswer(answer: Answer): string {
  switch (answer.kind) {
    case 'pick':
      return `a pick of ${typeof answer.choose === 'object' && 'custom' in answer.choose ? `typed "${answer.choose.custom}"` : String(answer.choose)}`;
    case 'pickMany':
      return `a multi-pick of ${answer.choose.map(String).join(', ')}`;
    case 'input':
      return answer.text === undefined ? 'Enter on an input' : `input "${answer.text}"`;
    case 'confirm':
      return `a confirmation (${answer.yes ? 'yes' : 'no'})`;
    default:
      return answer.kind.toUpperCase();
  }
}
