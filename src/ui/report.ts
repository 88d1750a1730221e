import { stringifyYaml } from '../util/yaml.js';
import type { IOStreams } from './iostreams.js';

/**
 * The one place a command's result reaches stdout. json/yaml print the machine report and nothing
 * else; table/wide print what `human` renders.
 */
export interface ReportOptions {
  /** One of a stream of reports (`--watch`): each YAML document starts with `---` so the stream parses. */
  stream?: boolean;
}

export function writeReport(io: IOStreams, machine: unknown, human: (wide: boolean) => string, options: ReportOptions = {}): void {
  switch (io.format) {
    case 'json':
      io.out.write(`${JSON.stringify(machine, null, 2)}\n`);
      return;
    case 'yaml':
      io.out.write(`${options.stream ? '---\n' : ''}${stringifyYaml(machine)}`);
      return;
    default: {
      const text = human(io.format === 'wide');
      if (text) io.out.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  }
}
