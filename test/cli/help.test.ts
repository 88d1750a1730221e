// kubectl-style --help on every command of the tree (walked, so commands added later are held to
// it too): an Examples section, one Usage form, the command's own flags, and the global flags
// named through `conduitctl options` instead of repeated.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/cli/help.js';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../../src/cli/run.js';
import { testFactory } from '../support/cli/index.js';

function pathOf(command: Command): string[] {
  const path: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
  return path;
}

async function helpOf(args: string[], programName = 'conduitctl') {
  const { factory, out, err } = testFactory();
  factory.programName = programName;
  const code = await runCli([...args, '--help'], factory);
  return { code, out: out.text(), err: err.text() };
}

const everyCommand = commandsOf(buildProgram(testFactory().factory)).map(pathOf);

describe('--help of every command', () => {
  it('the tree has the commands this test is about', () => {
    expect(everyCommand.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['status', 'drain', 'scale', 'verify-sticky', 'sandbox', 'sandbox up', 'sandbox down', 'completion', 'options']));
  });

  it.each(everyCommand.map((path) => [path.join(' '), path]))('%s: Examples, a kubectl-style Usage line, and a pointer to the global options', async (_name, path) => {
    const { code, out } = await helpOf(path as string[]);
    expect(code).toBe(0);
    const examples = /\nExamples:\n((?: {2}.*\n|\n)+)/.exec(out);
    expect(examples, `${path.join(' ')} --help has no Examples section`).not.toBeNull();
    expect(examples![1]).toMatch(/^ {2}(#.*\n {2})?(conduitctl|source|export|echo|kubectl)\b/m);
    expect(out).toMatch(new RegExp(`^Usage: conduitctl ${(path as string[]).join(' ')}( [A-Z\\[].*)? \\[options\\]$`, 'm'));
    expect(out.trimEnd().endsWith('Use "conduitctl options" for a list of global command-line options (applies to all commands).')).toBe(true);
    // The global flags are not repeated under each command.
    expect(out).not.toContain('--kubeconfig <path>');
  });

  it('Usage names operands in capitals and required flags with their value', async () => {
    expect((await helpOf(['scale'])).out).toMatch(/^Usage: conduitctl scale STATEFULSET --replicas=N \[options\]$/m);
    expect((await helpOf(['drain'])).out).toMatch(/^Usage: conduitctl drain \[TARGETS\.\.\.\] \[options\]$/m);
    expect((await helpOf(['sandbox'])).out).toMatch(/^Usage: conduitctl sandbox COMMAND \[options\]$/m);
  });

  it('command flags and gateway-contract flags are separate groups', async () => {
    const { out } = await helpOf(['drain']);
    const options = out.indexOf('\nOptions:\n');
    const contract = out.indexOf('\nGateway contract');
    expect(options).toBeGreaterThan(-1);
    expect(contract).toBeGreaterThan(options);
    expect(out.slice(options, contract)).toContain('--then <action>');
    expect(out.slice(contract)).toContain('--admin-port <port>');
  });

  it('a flag commander rejects points at the command’s help, as kubectl does (exit 2)', async () => {
    const { factory, err } = testFactory();
    expect(await runCli(['sandbox', 'up', '--bogus'], factory)).toBe(2);
    expect(err.text()).toBe("error: unknown option '--bogus'\nSee 'conduitctl sandbox up --help' for usage and examples.\n");
  });

  it('as a kubectl plugin the help speaks of `kubectl conduit`', async () => {
    const { out } = await helpOf(['drain'], 'kubectl conduit');
    expect(out).toMatch(/^Usage: kubectl conduit drain /m);
    expect(out).toContain('Use "kubectl conduit options" for a list of global command-line options');
  });
});

describe('conduitctl options', () => {
  it('lists every global flag the program takes', async () => {
    const { factory, out: buffer } = testFactory();
    const program = buildProgram(factory);
    expect(await runCli(['options'], factory)).toBe(0);
    const out = buffer.text();
    expect(out).toMatch(/^The following options can be passed to any command:/);
    for (const option of program.options.filter((o) => !o.hidden && o.long !== '--version')) expect(out).toContain(option.flags);
    expect(out).toContain('-o, --output <format>');
  });

  it('the program’s own help lists commands, not the global flags', async () => {
    const { out } = await helpOf([]);
    expect(out).toMatch(/^Usage: conduitctl COMMAND \[options\]$/m);
    expect(out).toMatch(/^ {2}drain +drain gateway instances/m);
    expect(out).not.toContain('--kubeconfig');
    expect(out).toContain('Use "conduitctl options"');
  });
});
