// POST /admin/migrate: validate the request, move the oldest clients, and remember batch ids so
// that a retried request (the POST died after the server acted) never moves a second batch.
import { BadRequestError } from './http.js';
import type { ConnectionRegistry } from './connections.js';

export interface MigrateRequest {
  count: number;
  targets: string[];
  reconnectAfterMs: number;
  jitterMs: number;
  batchId?: string;
}

export interface MigrateResult {
  migrated: number;
  /** Connections still open on this instance and not told to migrate. */
  remaining: number;
}

const DEFAULT_RECONNECT_AFTER_MS = 1000;
const REMEMBERED_BATCHES = 1000;

export function parseMigrateRequest(body: unknown): MigrateRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('body must be a JSON object like {"count":100,"targets":["ws://…"]}');
  }
  const fields = body as Record<string, unknown>;
  const { count, targets, batchId } = fields;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0) {
    throw new BadRequestError('count must be a positive integer');
  }
  if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string' && t !== '')) {
    throw new BadRequestError('targets must be a non-empty array of non-empty strings');
  }
  if (batchId !== undefined && (typeof batchId !== 'string' || batchId === '' || batchId.length > 200)) {
    throw new BadRequestError('batchId must be a non-empty string of at most 200 characters');
  }
  return {
    count,
    targets: targets as string[],
    reconnectAfterMs: nonNegative(fields, 'reconnectAfterMs', DEFAULT_RECONNECT_AFTER_MS),
    jitterMs: nonNegative(fields, 'jitterMs', 0),
    ...(batchId === undefined ? {} : { batchId }),
  };
}

function nonNegative(fields: Record<string, unknown>, name: string, fallback: number): number {
  const value = fields[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new BadRequestError(`${name} must be a number >= 0`);
  }
  return value;
}

export class Migrator {
  private readonly batches = new Map<string, MigrateResult>();

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly random: () => number = Math.random,
  ) {}

  migrate(request: MigrateRequest): MigrateResult {
    if (request.batchId !== undefined) {
      const previous = this.batches.get(request.batchId);
      if (previous) return previous;
    }
    const chosen = this.connections.oldestOpen(request.count);
    chosen.forEach((connection, index) => {
      const target = request.targets[index % request.targets.length] as string;
      const delay = Math.round(request.reconnectAfterMs + this.random() * request.jitterMs);
      this.connections.migrate(connection, target, delay);
    });
    const result: MigrateResult = { migrated: chosen.length, remaining: this.connections.openCount() };
    if (request.batchId !== undefined) this.remember(request.batchId, result);
    return result;
  }

  private remember(batchId: string, result: MigrateResult): void {
    this.batches.set(batchId, result);
    if (this.batches.size > REMEMBERED_BATCHES) {
      const oldest = this.batches.keys().next().value;
      if (oldest !== undefined) this.batches.delete(oldest);
    }
  }
}
