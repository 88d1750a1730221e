// What a scale reports while it runs; the command turns these into the plan header, spinner text
// and log lines. Drain events of the victims are forwarded as they are.

import type { DrainEvent } from '../drain/index.js';
import type { Count, FleetDescription } from '../ports/index.js';
import type { ScalePlan } from './plan-types.js';

export type ScaleEvent =
  /** Emitted before any mutation: the command prints it (RELIABILITY rule 6). */
  | { type: 'plan'; fleet: FleetDescription; plan: ScalePlan; dryRun: boolean }
  | { type: 'lease-acquired'; lease: string; holder: string }
  | { type: 'lease-renew-failed'; lease: string; reason: string }
  | { type: 'lease-released'; lease: string }
  | { type: 'drain'; event: DrainEvent }
  /** The direct read just before the write: a known 0. */
  | { type: 'victim-zero-confirmed'; instance: string }
  | { type: 'victim-not-zero'; instance: string; count: Count }
  | { type: 'write-attempt'; attempt: number; replicas: number; resourceVersion: string }
  /** 409: every precondition was re-read and still holds; the write is tried again. */
  | { type: 'conflict-retry'; attempt: number; message: string }
  | { type: 'written'; replicas: number; resourceVersion: string }
  /** A victim pod is gone: NotFound, or its name now belongs to a new pod (new uid). */
  | { type: 'terminated'; instance: string; how: 'not-found' | 'replaced' }
  | { type: 'waiting'; phase: 'terminate' | 'ready'; pending: string[]; elapsedMs: number; detail?: string }
  | { type: 'pod-ready'; instance: string }
  /** The API server could not be read during a wait: state unknown, polling goes on. */
  | { type: 'read-failed'; reason: string };

export type ScaleEventHandler = (event: ScaleEvent) => void;
