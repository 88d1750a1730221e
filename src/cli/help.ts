// kubectl-style help for every command of the tree, applied once by buildProgram to whatever
// commands exist (so verbs added later get it too): one Usage form (`conduitctl scale STATEFULSET
// --replicas=N [options]`), the command's own flags (grouped), and — instead of repeating the
// global flags under every command — a pointer to `conduitctl options`, which lists them.

import { Help, type Argument, type Command, type Option } from 'commander';
import type { Factory } from './factory.js';

export const OPTIONS_TOPIC = 'options';

/** Every command below `program`, depth first (the program itself excluded). */
export function commandsOf(program: Command): Command[] {
  return program.commands.flatMap((command) => [command, ...commandsOf(command)]);
}

/** `<statefulset>` → `STATEFULSET`, `[targets...]` → `[TARGETS...]` (kubectl's usage style). */
function argumentUsage(argument: Argument): string {
  const name = argument.name().toUpperCase() + (argument.variadic ? '...' : '');
  return argument.required ? name : `[${name}]`;
}

function requiredOptionUsage(option: Option): string {
  const placeholder = /<([^>]+)>/.exec(option.flags)?.[1]?.toUpperCase() ?? 'VALUE';
  return `${option.long ?? option.short}=${placeholder}`;
}

function hasCustomUsage(command: Command): boolean {
  return typeof (command as unknown as { _usage?: unknown })._usage === 'string';
}

function commandPath(command: Command): string {
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  return path.join(' ');
}

class KubectlStyleHelp extends Help {
  override commandUsage(command: Command): string {
    if (hasCustomUsage(command)) return super.commandUsage(command);
    const parts = [commandPath(command)];
    if (command.commands.length > 0) parts.push('COMMAND');
    parts.push(...command.registeredArguments.map(argumentUsage));
    parts.push(...command.options.filter((o) => o.mandatory && !o.hidden).map(requiredOptionUsage));
    parts.push('[options]');
    return parts.join(' ');
  }

  /** kubectl lists subcommands by name only; their usage is in their own help. */
  override subcommandTerm(command: Command): string {
    return [command.name(), ...command.aliases()].join('|');
  }

  /** The program's own help shows only --version and --help; its global flags are `conduitctl options`. */
  override visibleOptions(command: Command): Option[] {
    const visible = super.visibleOptions(command);
    if (command.parent) return visible;
    return visible.filter((option) => option.long === '--help' || option.long === '--version');
  }
}

/** Use it on every command of the tree; call after the last addCommand. */
export function applyKubectlHelp(program: Command, f: Factory): void {
  for (const command of [program, ...commandsOf(program)]) {
    command.createHelp = () => Object.assign(new KubectlStyleHelp(), command.configureHelp());
    // Commander does not pass the program's exit settings to commands added with addCommand().
    command.exitOverride();
    command.showHelpAfterError(`See '${commandPath(command)} --help' for usage and examples.`);
  }
  program.addHelpText(
    'afterAll',
    `\nUse "${f.programName} ${OPTIONS_TOPIC}" for a list of global command-line options (applies to all commands).`,
  );
}

/** The text of `conduitctl options`: the flags every command takes. */
export function formatGlobalOptions(program: Command): string {
  const helper = Object.assign(new Help(), program.configureHelp());
  const globals = program.options.filter((option) => !option.hidden && option.long !== '--version');
  helper.prepareContext({ outputHasColors: false, helpWidth: 100 });
  const width = Math.max(...globals.map((option) => helper.optionTerm(option).length));
  const lines = globals.map((option) => helper.formatItem(helper.optionTerm(option), width, helper.optionDescription(option), helper));
  return `The following options can be passed to any command:\n\n${lines.join('\n')}\n`;
}
