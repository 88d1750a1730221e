// core/v1 Events, written as client-go's event recorder writes them: one object per
// (object, reason, message, source), named `<object>.<hex time>`, whose count and lastTimestamp go
// up when the same thing happens again (the EventCorrelator's aggregation, without its spam filter).
//
//   const events = createEventRecorder(store, { component: 'kubelet', host: 'kube-sim-node' });
//   events.normal(pod, 'Started', 'Started container gateway', { fieldPath: 'spec.containers{gateway}' });

import { apiVersionOf, typeByKind } from './resources.js';
import type { KubeObject, KubeStore } from './store.js';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventOptions {
  /** The part of the object the event is about, e.g. `spec.containers{gateway}`. */
  fieldPath?: string;
}

export interface EventRecorder {
  normal(object: KubeObject, reason: string, message: string, options?: EventOptions): void;
  warning(object: KubeObject, reason: string, message: string, options?: EventOptions): void;
}

/** Kubernetes keeps events an hour; kube-sim also bounds how many one namespace keeps. */
const MAX_EVENTS_PER_NAMESPACE = 2000;

let sequence = 0;
function eventName(objectName: string): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${objectName}.${(BigInt(Date.now()) * 1_000_000n + BigInt(sequence)).toString(16)}`;
}

const timestamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createEventRecorder(store: KubeStore, source: EventSource): EventRecorder {
  // Aggregation key → event name, and names per namespace in creation order (for the bound).
  const byKey = new Map<string, { namespace: string; name: string }>();
  const keyOfName = new Map<string, string>();
  const order = new Map<string, string[]>();

  const record = (object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, options: EventOptions = {}): void => {
    const kind = object.kind ?? '';
    const namespace = object.metadata.namespace ?? 'default';
    const key = [object.metadata.uid, options.fieldPath ?? '', type, reason, message].join('\u0000');
    const now = timestamp();
    const seen = byKey.get(key);
    if (seen && store.get('Event', seen.namespace, seen.name)) {
      store.mutate('Event', seen.namespace, seen.name, (ev) => {
        ev.count = ((ev.count as number | undefined) ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      return;
    }
    const name = eventName(object.metadata.name ?? kind.toLowerCase());
    store.create('Event', {
      metadata: { name, namespace },
      involvedObject: {
        kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: kind ? apiVersionOf(typeByKind(kind)) : undefined,
        resourceVersion: object.metadata.resourceVersion,
        ...(options.fieldPath ? { fieldPath: options.fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    byKey.set(key, { namespace, name });
    keyOfName.set(`${namespace}/${name}`, key);
    const names = order.get(namespace) ?? [];
    names.push(name);
    order.set(namespace, names);
    while (names.length > MAX_EVENTS_PER_NAMESPACE) {
      const oldest = names.shift()!;
      byKey.delete(keyOfName.get(`${namespace}/${oldest}`) ?? '');
      keyOfName.delete(`${namespace}/${oldest}`);
      if (store.get('Event', namespace, oldest)) store.delete('Event', namespace, oldest);
    }
  };

  // An event that cannot be written (its namespace just went away) must not fail the caller's work.
  const safely = (...args: Parameters<typeof record>): void => {
    try {
      record(...args);
    } catch {
      // dropped, as client-go's recorder drops events it cannot write
    }
  };
  return {
    normal: (object, reason, message, options) => safely(object, 'Normal', reason, message, options),
    warning: (object, reason, message, options) => safely(object, 'Warning', reason, message, options),
  };
}
