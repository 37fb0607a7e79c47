import * as vscode from 'vscode';
import {
  BACK,
  type Back,
  type InputOptions,
  type NoticeKind,
  type PickItem,
  type PickOptions,
  type ProgressReporter,
  type Prompter,
  type StepInfo,
} from '../ui/prompter';

interface QuickItem<T> extends vscode.QuickPickItem {
  source?: T;
}

/**
 * The Prompter on VS Code's QuickInput, following vscode-extension-samples' multiStepInput:
 * title with step n/N, a Back button from step 2 on, `busy` while items load, `ignoreFocusOut`,
 * validation messages; modal warnings to confirm; notifications; cancellable progress.
 */
export class VscodePrompter implements Prompter {
  pick<T extends PickItem>(items: readonly T[] | (() => Promise<readonly T[]>), options: PickOptions<T>): Promise<T | Back | undefined> {
    return this.showPick(items, options, false) as Promise<T | Back | undefined>;
  }

  pickMany<T extends PickItem>(items: readonly T[], options: PickOptions<T>): Promise<T[] | Back | undefined> {
    return this.showPick(items, options, true) as Promise<T[] | Back | undefined>;
  }

  input(options: InputOptions): Promise<string | Back | undefined> {
    const box = vscode.window.createInputBox();
    applyStep(box, options);
    box.value = options.value ?? '';
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    return new Promise((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      let settled = false;
      const finish = (value: string | Back | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        subscriptions.forEach((s) => s.dispose());
        box.dispose();
      };
      subscriptions.push(
        box.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish(BACK);
        }),
        box.onDidChangeValue((value) => {
          box.validationMessage = options.validate?.(value);
        }),
        box.onDidAccept(() => {
          const message = options.validate?.(box.value);
          box.validationMessage = message;
          if (message === undefined) finish(box.value);
        }),
        box.onDidHide(() => finish(undefined)),
      );
      box.show();
    });
  }

  async confirm(message: string, options: { detail?: string; confirm: string }): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: options.detail }, options.confirm);
    return choice === options.confirm;
  }

  async notify(kind: NoticeKind, message: string, ...actions: string[]): Promise<string | undefined> {
    const show =
      kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const shown = show(message, ...actions);
    // Without actions there is nothing to wait for: do not hold the command until the toast fades.
    return actions.length > 0 ? shown : undefined;
  }

  async withProgress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const cancelled = token.onCancellationRequested(() => controller.abort(new DOMException('Cancelled.', 'AbortError')));
      try {
        return await task({ report: (message) => progress.report({ message }) }, controller.signal);
      } finally {
        cancelled.dispose();
      }
    });
  }

  private showPick<T extends PickItem>(
    source: readonly T[] | (() => Promise<readonly T[]>),
    options: PickOptions<T>,
    many: boolean,
  ): Promise<T | T[] | Back | undefined> {
    const quickPick = vscode.window.createQuickPick<QuickItem<T>>();
    applyStep(quickPick, options);
    quickPick.placeholder = options.placeholder;
    quickPick.matchOnDescription = options.matchOnDescription ?? false;
    quickPick.matchOnDetail = options.matchOnDetail ?? false;
    quickPick.canSelectMany = many;
    quickPick.ignoreFocusOut = true;
    let base: Array<QuickItem<T>> = [];
    let custom: QuickItem<T> | undefined;
    const render = () => {
      const selected = new Set(quickPick.selectedItems.map((item) => item.source));
      // The typed entry goes last: what the typing matches in the list stays first (and active).
      quickPick.items = custom ? [...base, custom] : base;
      if (many) quickPick.selectedItems = quickPick.items.filter((item) => item.source && (selected.has(item.source) || item.source.picked));
    };
    const load = (items: readonly T[]) => {
      base = items.map(toQuickItem);
      render();
      const current = base.find((item) => item.source?.picked);
      if (!many && current) quickPick.activeItems = [current];
    };

    return new Promise((resolve, reject) => {
      const subscriptions: vscode.Disposable[] = [];
      let settled = false;
      const finish = (value: T | T[] | Back | undefined, error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error !== undefined) reject(error);
        else resolve(value);
        subscriptions.forEach((s) => s.dispose());
        quickPick.dispose();
      };
      subscriptions.push(
        quickPick.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish(BACK);
        }),
        quickPick.onDidAccept(() => {
          if (quickPick.busy) return;
          if (many) {
            finish(quickPick.selectedItems.flatMap((item) => (item.source ? [item.source] : [])));
            return;
          }
          const item = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
          if (item?.source) finish(item.source);
        }),
        quickPick.onDidHide(() => finish(undefined)),
      );
      const makeCustom = options.custom;
      if (makeCustom && !many) {
        subscriptions.push(
          quickPick.onDidChangeValue((value) => {
            const typed = value.trim();
            const candidate = typed ? makeCustom(typed) : undefined;
            // No typed entry when the list already has it (typing "4090" finds RTX 4090 in the list).
            const listed = base.some((item) => item.source && [typed, candidate?.label].some((l) => l && item.label.toLowerCase() === l.toLowerCase()));
            const made = listed ? undefined : candidate;
            custom = made ? { ...toQuickItem(made), alwaysShow: true } : undefined;
            render();
          }),
        );
      }
      quickPick.show();
      if (typeof source === 'function') {
        quickPick.busy = true;
        source().then(
          (items) => {
            if (settled) return;
            load(items);
            quickPick.busy = false;
          },
          (error) => finish(undefined, error),
        );
      } else {
        load(source);
      }
    });
  }
}

function applyStep(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, info: StepInfo): void {
  input.title = info.title;
  input.step = info.step;
  input.totalSteps = info.totalSteps;
  input.buttons = info.step !== undefined && info.step > 1 ? [vscode.QuickInputButtons.Back] : [];
}

function toQuickItem<T extends PickItem>(item: T): QuickItem<T> {
  if (item.separator) return { label: item.label, kind: vscode.QuickPickItemKind.Separator };
  return { label: item.label, description: item.description, detail: item.detail, picked: item.picked, alwaysShow: item.alwaysShow, source: item };
}
