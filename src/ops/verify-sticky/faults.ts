import type { Sample } from '../ports/index.js';
import type { ClientRun, FaultBucket, FaultKind, InstanceCount } from './report.js';

function labelOf(sample: Sample): string {
  switch (sample.outcome) {
    case 'http-error':
      return `HTTP ${sample.httpStatus}${sample.reportedStatus ? ` ${sample.reportedStatus}` : ''}`;
    case 'redirect':
      return `redirect ${sample.httpStatus}${sample.detail?.startsWith('Location: ') ? ` → ${sample.detail.slice('Location: '.length)}` : ''}`;
    case 'missing-instance':
      return `no instance: ${sample.detail ?? 'not named'}`;
    case 'unreachable':
      return `unreachable: ${sample.detail ?? 'connection failed'}`;
    case 'timeout':
      return 'timeout';
    case 'answered':
      return 'answered';
  }
}

/** Group every request that did not name an instance, so each fault is reported with its count. */
export function bucketFaults(runs: readonly ClientRun[]): FaultBucket[] {
  const buckets = new Map<string, FaultBucket & { reporters: Map<string, number> }>();
  for (const run of runs) {
    for (const sample of run.samples) {
      if (sample.outcome === 'answered') continue;
      const label = labelOf(sample);
      let bucket = buckets.get(label);
      if (!bucket) {
        bucket = {
          kind: sample.outcome as FaultKind,
          label,
          httpStatus: sample.httpStatus ?? null,
          count: 0,
          clients: [],
          reportedBy: [],
          detail: sample.detail ?? null,
          reporters: new Map(),
        };
        buckets.set(label, bucket);
      }
      bucket.count++;
      if (!bucket.clients.includes(run.id)) bucket.clients.push(run.id);
      if (sample.reportedInstance) bucket.reporters.set(sample.reportedInstance, (bucket.reporters.get(sample.reportedInstance) ?? 0) + 1);
    }
  }
  return [...buckets.values()]
    .map(({ reporters, ...bucket }) => ({ ...bucket, reportedBy: countsOf(reporters) }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function countsOf(counts: Map<string, number>): InstanceCount[] {
  return [...counts].map(([name, count]) => ({ name, count }));
}
