// Seeding helpers for tests and the sandbox.

import type { KubeObject, KubeStore } from './store.js';

/** Creates a namespace unless it exists; returns it. */
export function seedNamespace(store: KubeStore, name: string, labels: Record<string, string> = {}): KubeObject {
  return store.get('Namespace', undefined, name) ?? store.create('Namespace', { metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
}
