// What the value of an option or an operand is, so the completer knows what to offer. Commands
// declare nothing in the common cases: `.choices()`, the value placeholder (`<file>`, `<dir>`) and
// the names kubectl habits give (`--context`, `-n`, `[targets...]`, `<statefulset>`) decide it.
// A command whose operand means something else says so with `completeValuesAs()`.

import type { Argument, Option } from 'commander';

export type ValueKind =
  | { kind: 'choices'; choices: readonly string[] }
  | { kind: 'file' }
  | { kind: 'directory' }
  /** Pods and `sts/NAME` on Kubernetes; instance names of a --fleet file or --instances list. */
  | { kind: 'targets' }
  /** Pod names (instance names for a static fleet). */
  | { kind: 'pods'; commaSeparated?: boolean }
  /** `sts/NAME` on Kubernetes. */
  | { kind: 'statefulsets' }
  | { kind: 'contexts' }
  | { kind: 'namespaces' }
  /** Free text: nothing to offer, and no file names either. */
  | { kind: 'none' };

export type LiveKind = 'targets' | 'pods' | 'statefulsets' | 'contexts' | 'namespaces';

const declared = new WeakMap<Option | Argument, ValueKind>();

/** Say what an option's value or an operand is when the conventions below do not. */
export function completeValuesAs<T extends Option | Argument>(item: T, kind: ValueKind): T {
  declared.set(item, kind);
  return item;
}

const BY_OPTION: Record<string, ValueKind> = {
  '--context': { kind: 'contexts' },
  '--namespace': { kind: 'namespaces' },
  '--remove': { kind: 'pods', commaSeparated: true },
  '--to': { kind: 'pods' },
  '--rollout': { kind: 'statefulsets' },
};

const BY_ARGUMENT: Record<string, ValueKind> = {
  targets: { kind: 'targets' },
  target: { kind: 'targets' },
  instances: { kind: 'pods' },
  instance: { kind: 'pods' },
  pods: { kind: 'pods' },
  pod: { kind: 'pods' },
  statefulset: { kind: 'statefulsets' },
  shell: { kind: 'none' },
};

function byPlaceholder(flags: string): ValueKind | undefined {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(flags)?.[1]?.replace(/\.\.\.$/, '');
  if (placeholder === 'file' || placeholder === 'path') return { kind: 'file' };
  if (placeholder === 'dir') return { kind: 'directory' };
  return undefined;
}

export function optionValueKind(option: Option): ValueKind {
  return (
    declared.get(option) ??
    (option.argChoices ? { kind: 'choices', choices: option.argChoices } : undefined) ??
    (option.long ? BY_OPTION[option.long] : undefined) ??
    byPlaceholder(option.flags) ?? { kind: 'none' }
  );
}

export function argumentValueKind(argument: Argument): ValueKind {
  return (
    declared.get(argument) ??
    (argument.argChoices ? { kind: 'choices', choices: argument.argChoices } : undefined) ??
    BY_ARGUMENT[argument.name()] ?? { kind: 'none' }
  );
}
