// The completer behind `conduitctl __complete`: walks the commander program tree at run time, so
// commands and flags added anywhere are completed without touching the shell scripts.

import { Help, type Argument, type Command, type Option } from 'commander';
import { DIRECTIVE, NOTHING, type Candidate, type Completion } from './protocol.js';
import { optionsInScope, readTypedLine, takesValue, type TypedLine } from './typed-line.js';
import { argumentValueKind, optionValueKind, type LiveKind, type ValueKind } from './value-kinds.js';

/** Where the typed line says live names come from (the values of the global flags typed so far). */
export interface NameScope {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  fleet?: string;
  instances?: string;
  requestTimeout?: string;
}

/** Live names of a kind (pods, StatefulSets, contexts…) in a scope; [] when they cannot be read. */
export type LiveNames = (kind: LiveKind, scope: NameScope) => Promise<string[]>;

const help = new Help();

export async function complete(program: Command, words: readonly string[], toComplete: string, liveNames: LiveNames): Promise<Completion> {
  const line = readTypedLine(program, words);
  const values = (kind: ValueKind, prefix: string, partial: string) => valueCompletion(kind, prefix, partial, liveNames, scopeOf(line));

  if (line.pendingValue) return values(optionValueKind(line.pendingValue), '', toComplete);
  if (line.openVariadic && !toComplete.startsWith('-')) return values(optionValueKind(line.openVariadic), '', toComplete);
  if (!line.afterDoubleDash && toComplete.startsWith('-')) {
    const equals = toComplete.indexOf('=');
    if (toComplete.startsWith('--') && equals !== -1) {
      const option = optionsInScope(line.command).find((o) => o.long === toComplete.slice(0, equals));
      if (!option || !takesValue(option)) return NOTHING;
      return values(optionValueKind(option), toComplete.slice(0, equals + 1), toComplete.slice(equals + 1));
    }
    return flagCompletion(line, toComplete);
  }
  const subcommands = help.visibleCommands(line.command);
  const helpTopic = subcommands.length > 0 && line.operands.length === 1 && line.operands[0] === 'help';
  if (subcommands.length > 0 && (line.operands.length === 0 || helpTopic)) {
    const offered = helpTopic ? subcommands.filter((sub) => sub.name() !== 'help') : subcommands;
    return matching(offered.map((sub) => ({ value: sub.name(), description: sub.summary() || sub.description() })), toComplete);
  }
  const argument = operandAt(line.command, line.operands.length);
  return argument ? values(argumentValueKind(argument), '', toComplete) : NOTHING;
}

function operandAt(command: Command, index: number): Argument | undefined {
  const declared = command.registeredArguments;
  const last = declared[declared.length - 1];
  return declared[index] ?? (last?.variadic ? last : undefined);
}

function flagCompletion(line: TypedLine, toComplete: string): Completion {
  const own = help.visibleOptions(line.command);
  const inherited: Option[] = [];
  for (let c = line.command.parent; c; c = c.parent) inherited.push(...c.options.filter((o) => !o.hidden));
  const candidates: Candidate[] = [];
  for (const option of [...own, ...inherited]) {
    // A flag already given is not offered again, unless it can be repeated (-v -v, a list).
    if (line.values.has(option) && !option.variadic && !option.parseArg) continue;
    for (const spelling of [option.long, option.short]) if (spelling) candidates.push({ value: spelling, description: option.description });
  }
  return matching(candidates, toComplete);
}

async function valueCompletion(kind: ValueKind, prefix: string, partial: string, liveNames: LiveNames, scope: NameScope): Promise<Completion> {
  switch (kind.kind) {
    case 'choices':
      return withPrefix(matching(kind.choices.map((value) => ({ value })), partial), prefix);
    case 'file':
      return { candidates: [], directive: DIRECTIVE.default };
    case 'directory':
      return { candidates: [], directive: DIRECTIVE.filterDirs };
    case 'none':
      return NOTHING;
    case 'pods':
      if (kind.commaSeparated) {
        const comma = partial.lastIndexOf(',') + 1;
        const names = await liveNames('pods', scope);
        return withPrefix(matching(names.map((value) => ({ value })), partial.slice(comma)), prefix + partial.slice(0, comma));
      }
      return withPrefix(matching((await liveNames('pods', scope)).map((value) => ({ value })), partial), prefix);
    default:
      return withPrefix(matching((await liveNames(kind.kind, scope)).map((value) => ({ value })), partial), prefix);
  }
}

function matching(candidates: Candidate[], partial: string): Completion {
  return { candidates: candidates.filter(({ value }) => value.startsWith(partial)), directive: DIRECTIVE.noFileComp };
}

function withPrefix(completion: Completion, prefix: string): Completion {
  if (!prefix) return completion;
  return { ...completion, candidates: completion.candidates.map((c) => ({ ...c, value: prefix + c.value })) };
}

function scopeOf(line: TypedLine): NameScope {
  const scope: Record<string, string> = {};
  for (const [option, given] of line.values) scope[option.attributeName()] = given[given.length - 1]!;
  const { kubeconfig, context, namespace, fleet, instances, requestTimeout } = scope;
  return { kubeconfig, context, namespace, fleet, instances, requestTimeout };
}
