/**
 * Everything a command flow asks of the person at the keyboard. The VS Code layer implements it
 * with QuickPick, InputBox, modal messages and progress notifications; tests script the answers.
 * Keeping flows behind this seam keeps them plain Node: they run, and are tested, without VS Code.
 */

/** The Back button of a multi-step input. */
export const BACK = Symbol('back');
export type Back = typeof BACK;

export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
  /** Pre-selected in a multi-pick. */
  picked?: boolean;
  /** A group heading, not pickable. */
  separator?: boolean;
  alwaysShow?: boolean;
}

/** Where a prompt sits in a multi-step input: "Search Offers (2/6)". */
export interface StepInfo {
  title: string;
  step?: number;
  totalSteps?: number;
}

export interface PickOptions<T extends PickItem> extends StepInfo {
  placeholder?: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  /** Turns what was typed into an item of its own (e.g. a GPU model not in the list). */
  custom?: (typed: string) => T | undefined;
}

export interface InputOptions extends StepInfo {
  prompt?: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /** An error message for an invalid value, or undefined when it is fine. */
  validate?: (value: string) => string | undefined;
}

export interface ProgressReporter {
  report(message: string): void;
}

export type NoticeKind = 'info' | 'warning' | 'error';

export interface Prompter {
  /** Resolves with the item, BACK, or undefined when dismissed. */
  pick<T extends PickItem>(items: readonly T[] | (() => Promise<readonly T[]>), options: PickOptions<T>): Promise<T | Back | undefined>;
  pickMany<T extends PickItem>(items: readonly T[], options: PickOptions<T>): Promise<T[] | Back | undefined>;
  /** Resolves with a valid value, BACK, or undefined when dismissed. */
  input(options: InputOptions): Promise<string | Back | undefined>;
  /** A modal question before anything is paid for or destroyed. */
  confirm(message: string, options: { detail?: string; confirm: string }): Promise<boolean>;
  /** A notification; resolves with the action chosen, if any. */
  notify(kind: NoticeKind, message: string, ...actions: string[]): Promise<string | undefined>;
  /** A cancellable progress notification; `signal` aborts when the person cancels. */
  withProgress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T>;
}
