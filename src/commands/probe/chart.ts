import type { TimelinePoint } from '../../ops/probe/timeline.js';

const BARS = '▁▂▃▄▅▆▇█';
const WIDTH = 60;

/** Values squeezed to at most WIDTH columns (a column shows the largest value it covers). */
function columns(values: number[]): number[] {
  if (values.length <= WIDTH) return values;
  const per = values.length / WIDTH;
  return Array.from({ length: WIDTH }, (_, i) => Math.max(...values.slice(Math.floor(i * per), Math.max(Math.floor(i * per) + 1, Math.floor((i + 1) * per)))));
}

function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v <= 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * BARS.length) - 1)])).join('');
}

/** Three rows (open, closing, reconnecting), one column per second (or per few seconds on a long run). */
export function renderTimelineChart(points: TimelinePoint[], bucketSeconds: number): string {
  if (points.length === 0) return '';
  const rows: Array<[string, (p: TimelinePoint) => number]> = [
    ['open', (p) => p.open],
    ['closing', (p) => p.closing],
    ['reconnecting', (p) => p.reconnecting],
  ];
  const span = points[points.length - 1]!.atSeconds + bucketSeconds;
  const perColumn = points.length > WIDTH ? `${(span / WIDTH).toFixed(1)}s` : `${bucketSeconds}s`;
  const lines = rows.map(([label, pick]) => {
    const values = columns(points.map(pick));
    return `  ${label.padEnd(13)}│${sparkline(values)}│ max ${Math.max(...values)}`;
  });
  return [`Timeline (${span}s, one column = ${perColumn}):`, ...lines].join('\n');
}
