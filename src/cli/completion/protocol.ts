// cobra's completion protocol, which kubectl speaks to plugins: one candidate per line
// (`value<TAB>description`), then `:<directive>`, a bit set telling the shell what to do next.

export const DIRECTIVE = {
  default: 0,
  error: 1,
  noSpace: 2,
  noFileComp: 4,
  filterFileExt: 8,
  filterDirs: 16,
  keepOrder: 32,
} as const;

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

export const NOTHING: Completion = { candidates: [], directive: DIRECTIVE.noFileComp };

export function formatCompletion({ candidates, directive }: Completion): string {
  const lines = candidates.map(({ value, description }) => (description ? `${value}\t${oneLine(description)}` : value));
  return [...lines, `:${directive}`].join('\n') + '\n';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
