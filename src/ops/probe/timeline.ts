import type { ProbePoolSnapshot } from '../ports/index.js';

/** One second of the run: connections open at its end, closes during it, connections between a close and their next hello. */
export interface TimelinePoint {
  atSeconds: number;
  open: number;
  closing: number;
  reconnecting: number;
}

/** Beyond this many points, neighbours are merged (a week-long run still prints a small report). */
export const MAX_TIMELINE_POINTS = 3_600;

/** Builds the per-second timeline from the snapshots the probe takes while it waits. */
export class Timeline {
  private readonly points: TimelinePoint[] = [];
  private bucketSeconds = 1;
  private lastCloses = 0;

  record(snapshot: ProbePoolSnapshot): void {
    const atSeconds = Math.floor(snapshot.elapsedMs / 1_000 / this.bucketSeconds) * this.bucketSeconds;
    const closing = snapshot.closes - this.lastCloses;
    this.lastCloses = snapshot.closes;
    const reconnecting = snapshot.everOpened - snapshot.open;
    const last = this.points[this.points.length - 1];
    if (last && last.atSeconds === atSeconds) {
      last.open = snapshot.open;
      last.closing += closing;
      last.reconnecting = Math.max(last.reconnecting, reconnecting);
      return;
    }
    this.points.push({ atSeconds, open: snapshot.open, closing, reconnecting });
    if (this.points.length > MAX_TIMELINE_POINTS) this.halve();
  }

  result(): { bucketSeconds: number; points: TimelinePoint[] } {
    return { bucketSeconds: this.bucketSeconds, points: this.points.map((p) => ({ ...p })) };
  }

  private halve(): void {
    this.bucketSeconds *= 2;
    const merged: TimelinePoint[] = [];
    for (const point of this.points) {
      const atSeconds = Math.floor(point.atSeconds / this.bucketSeconds) * this.bucketSeconds;
      const last = merged[merged.length - 1];
      if (last && last.atSeconds === atSeconds) {
        last.open = point.open;
        last.closing += point.closing;
        last.reconnecting = Math.max(last.reconnecting, point.reconnecting);
      } else merged.push({ ...point, atSeconds });
    }
    this.points.splice(0, this.points.length, ...merged);
  }
}
