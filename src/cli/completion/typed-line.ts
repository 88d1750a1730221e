// Reads the words already typed on a command line the way commander will parse them: which
// command they reach, which options have which values, which operands were given, and whether the
// last word is an option still waiting for its value.

import type { Command, Option } from 'commander';

export interface TypedLine {
  /** The deepest command the words reach. */
  command: Command;
  /** Values given per option, on any command of the path (globals included). */
  values: Map<Option, string[]>;
  /** Operands of `command`, in order. */
  operands: string[];
  /** The last word was an option that takes a value: the word being completed is that value. */
  pendingValue?: Option;
  /** A `--` was typed: every word after it is an operand. */
  afterDoubleDash: boolean;
  /** A variadic option (`--to <pods...>`) takes every following word up to the next flag. */
  openVariadic?: Option;
}

/** The options a command accepts: its own and every ancestor's (commander's globals). */
export function optionsInScope(command: Command): Option[] {
  const scope: Option[] = [];
  for (let c: Command | null = command; c; c = c.parent) scope.push(...c.options);
  return scope;
}

export function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function findLong(command: Command, name: string): Option | undefined {
  return optionsInScope(command).find((option) => option.long === name);
}

function findShort(command: Command, name: string): Option | undefined {
  return optionsInScope(command).find((option) => option.short === name);
}

function subcommandNamed(command: Command, word: string): Command | undefined {
  return command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
}

export function readTypedLine(program: Command, words: readonly string[]): TypedLine {
  const line: TypedLine = { command: program, values: new Map(), operands: [], afterDoubleDash: false };
  const record = (option: Option, value: string) => line.values.set(option, [...(line.values.get(option) ?? []), value]);
  for (const word of words) {
    if (line.pendingValue) {
      record(line.pendingValue, word);
      if (line.pendingValue.variadic) line.openVariadic = line.pendingValue;
      line.pendingValue = undefined;
      continue;
    }
    if (line.openVariadic && !word.startsWith('-')) {
      record(line.openVariadic, word);
      continue;
    }
    line.openVariadic = undefined;
    if (line.afterDoubleDash) {
      line.operands.push(word);
    } else if (word === '--') {
      line.afterDoubleDash = true;
    } else if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      const option = findLong(line.command, equals === -1 ? word : word.slice(0, equals));
      if (!option) continue;
      if (equals !== -1) record(option, word.slice(equals + 1));
      else if (option.required) line.pendingValue = option;
      else record(option, 'true');
    } else if (word.startsWith('-') && word.length > 1) {
      readShortOptions(line, word, record);
    } else {
      const sub = line.operands.length === 0 ? subcommandNamed(line.command, word) : undefined;
      if (sub) line.command = sub;
      else line.operands.push(word);
    }
  }
  return line;
}

/** `-n rtc`, `-nrtc`, `-vq` (booleans combined). */
function readShortOptions(line: TypedLine, word: string, record: (option: Option, value: string) => void): void {
  for (let i = 1; i < word.length; i++) {
    const option = findShort(line.command, `-${word[i]}`);
    if (!option) return;
    if (!takesValue(option)) {
      record(option, 'true');
      continue;
    }
    const rest = word.slice(i + 1);
    if (rest) record(option, rest);
    else if (option.required) line.pendingValue = option;
    return;
  }
}
