/** `1 instance`, `2 instances`, `0 instances`; a count that is not a number (`unknown`) keeps the plural. */
export function counted(count: number | string, noun: string, pluralForm = `${noun}s`): string {
  return `${count} ${String(count) === '1' ? noun : pluralForm}`;
}
