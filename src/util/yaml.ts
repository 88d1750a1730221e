// YAML in and out, the way conduitctl reads fleet files and writes -o yaml.
import YAML from 'yaml';

export function parseYaml(text: string): unknown {
  return YAML.parse(text);
}

/** YAML 1.1 quoting so yes/no/on survive go-yaml readers; no folding at 80 columns. */
export function stringifyYaml(value: unknown): string {
  return YAML.stringify(value, { version: '1.1', lineWidth: 0 });
}
