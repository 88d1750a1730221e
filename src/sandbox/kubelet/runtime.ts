// What the kubelet needs from a container runtime: start a container (resolving once it listens),
// signal it, and learn when it exits. Two runtimes: one OS process per pod, or every pod's gateway
// inside this process (for fleets of hundreds of pods).
import { fileURLToPath } from 'node:url';
import type { Environment } from './container-env.js';
import type { ImageKind } from './images.js';

export interface ContainerLaunch {
  /** namespace/name, for logs and messages. */
  podKey: string;
  kind: ImageKind;
  args: string[];
  env: Environment;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** The last lines the container wrote, when it failed. */
  message?: string;
}

export interface Container {
  /** The OS process id (process runtime only). */
  readonly pid?: number;
  readonly exited: Promise<ExitInfo>;
  signal(signal: 'SIGTERM' | 'SIGKILL'): void;
}

export type RuntimeMode = 'process' | 'in-process';

export interface ContainerRuntime {
  readonly mode: RuntimeMode;
  start(launch: ContainerLaunch): Promise<Container>;
}

/** Built files live beside src/ in dist/; this path is right from either tree. */
export function builtEntry(relative: string): string {
  return fileURLToPath(new URL(`../../../dist/${relative}`, import.meta.url));
}
