// One pod's life on this node: start its container, probe readiness, restart it when it exits,
// and on deletion run preStop, SIGTERM, then SIGKILL at the grace deadline, then remove the pod.
import type { EventRecorder } from '../kube-sim/event-recorder.js';
import type { JsonMap, KubeObject, KubeStore } from '../kube-sim/store.js';
import { containerEnvironment, expandReferences, type Environment } from './container-env.js';
import { exec, httpGet, type HandlerResult } from './handlers.js';
import { GATEWAY_ENTRYPOINTS, imageKind, knownImages, type ImageKind } from './images.js';
import type { IpPool } from './ip-pool.js';
import { podStatus, timestamp, type ContainerState, type PodView } from './pod-status.js';
import type { Container, ContainerRuntime, ExitInfo } from './runtime.js';

export interface KubeletContext {
  store: KubeStore;
  runtime: ContainerRuntime;
  ips: IpPool;
  baseEnv: Environment;
  nodeName: string;
  /** Events as the kubelet reports them, and as the scheduler reports a pod's binding. */
  events: EventRecorder;
  schedulerEvents: EventRecorder;
  /** Delay before restart number n (1, 2, …) of a container that exited. */
  restartDelayMs(restart: number): number;
  log(message: string): void;
}

export interface HookRecord {
  pod: string;
  uid: string;
  result: HandlerResult;
}

type Phase = PodView['phase'];

export class PodWorker {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  private readonly spec: JsonMap;
  private readonly containerSpec: JsonMap;
  /** What this pod's events point at. */
  private readonly ref: KubeObject;
  private container?: Container;
  private starting?: Promise<void>;
  private podIP?: string;
  private phase: Phase = 'Pending';
  private state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  private lastState?: ContainerState;
  private ready = false;
  private restartCount = 0;
  private successes = 0;
  private failures = 0;
  private probeTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  private terminating?: Promise<void>;
  private deadlineMs = Number.POSITIVE_INFINITY;
  private deadlineTimer?: NodeJS.Timeout;
  private deadlineWaiters: (() => void)[] = [];

  constructor(
    private readonly ctx: KubeletContext,
    pod: KubeObject,
    private readonly onHook: (record: HookRecord) => void,
  ) {
    this.uid = pod.metadata.uid!;
    this.namespace = pod.metadata.namespace!;
    this.name = pod.metadata.name!;
    this.spec = pod.spec ?? {};
    this.containerSpec = ((this.spec.containers ?? []) as JsonMap[])[0] ?? {};
    this.ref = { kind: 'Pod', metadata: { name: this.name, namespace: this.namespace, uid: this.uid, resourceVersion: pod.metadata.resourceVersion } };
  }

  private containerEvent(type: 'normal' | 'warning', reason: string, message: string): void {
    this.ctx.events[type](this.ref, reason, message, { fieldPath: `spec.containers{${this.containerSpec.name ?? 'container'}}` });
  }

  /** The container's process id while one runs (process runtime). */
  get pid(): number | undefined {
    return this.container?.pid;
  }

  start(): void {
    this.ctx.schedulerEvents.normal(this.ref, 'Scheduled', `Successfully assigned ${this.namespace}/${this.name} to ${this.ctx.nodeName}`);
    const containers = (this.spec.containers ?? []) as JsonMap[];
    if (containers.length !== 1) {
      this.stayPending('CreateContainerConfigError', `kube-sim runs pods with exactly one container; this pod has ${containers.length}`);
      return;
    }
    const kind = imageKind(this.containerSpec.image);
    if (!kind) {
      this.containerEvent('warning', 'Failed', `Failed to pull image "${this.containerSpec.image ?? ''}": kube-sim runs only ${knownImages().join(', ')}`);
      this.stayPending('ErrImagePull', `kube-sim cannot run image "${this.containerSpec.image ?? ''}": it knows only ${knownImages().join(', ')}`);
      return;
    }
    const command = (this.containerSpec.command ?? []) as string[];
    if (command.length > 0 && !GATEWAY_ENTRYPOINTS.includes(command[0]!)) {
      this.stayPending('RunContainerError', `kube-sim runs the image's own entrypoint (${GATEWAY_ENTRYPOINTS[0]}); command ${JSON.stringify(command)} is not supported`);
      return;
    }
    try {
      this.podIP = this.ctx.ips.allocate(this.uid);
    } catch (error) {
      this.stayPending('FailedCreatePodSandBox', (error as Error).message);
      return;
    }
    this.writeStatus({ bind: true });
    this.starting = this.runContainer(kind);
  }

  /** Called for every event of a deleted pod: begins termination, or shortens its deadline. */
  terminate(graceSeconds: number): Promise<void> {
    const deadline = Date.now() + Math.max(0, graceSeconds) * 1000;
    if (deadline < this.deadlineMs) this.armDeadline(deadline);
    this.stopping = true;
    clearTimeout(this.restartTimer);
    return (this.terminating ??= this.runTermination());
  }

  /** The pod left the store without us (force delete, namespace deletion): stop at once. */
  kill(): Promise<void> {
    this.stopping = true;
    this.armDeadline(Date.now());
    clearTimeout(this.restartTimer);
    return (this.terminating ??= this.runTermination({ hooks: false, finalize: false }));
  }

  /** The node shuts down: SIGTERM, SIGKILL after graceMs; the pod objects are left as they are. */
  shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const deadline = Date.now() + graceMs;
    if (deadline < this.deadlineMs) this.armDeadline(deadline);
    return (this.terminating ??= this.runTermination({ hooks: false, finalize: false }));
  }

  private stayPending(reason: string, message: string): void {
    this.state = { waiting: { reason, message } };
    this.writeStatus({ bind: true });
  }

  private async runContainer(kind: ImageKind): Promise<void> {
    const pod = this.current();
    if (!pod || this.stopping) return;
    const env = containerEnvironment(pod, this.containerSpec, this.podIP!, this.ctx.baseEnv);
    const args = ((this.containerSpec.args ?? []) as string[]).map((arg) => expandReferences(String(arg), env));
    let container: Container;
    this.containerEvent('normal', 'Pulled', `Container image "${this.containerSpec.image}" already present on machine`);
    this.containerEvent('normal', 'Created', `Created container: ${this.containerSpec.name}`);
    try {
      container = await this.ctx.runtime.start({ podKey: `${this.namespace}/${this.name}`, kind, args, env });
    } catch (error) {
      this.containerEvent('warning', 'Failed', `Error: ${(error as Error).message}`);
      if (!this.stopping) this.onExit({ code: 128, signal: null, message: (error as Error).message }, undefined);
      return;
    }
    this.container = container;
    this.containerEvent('normal', 'Started', `Started container ${this.containerSpec.name}`);
    const startedAt = timestamp(new Date());
    void container.exited.then((info) => this.onExit(info, container, startedAt));
    if (this.stopping) return;
    this.phase = 'Running';
    this.state = { running: { startedAt } };
    this.successes = 0;
    this.failures = 0;
    this.ready = !this.containerSpec.readinessProbe;
    this.writeStatus();
    this.scheduleProbe(true);
  }

  private onExit(info: ExitInfo, container: Container | undefined, startedAt?: string): void {
    if (container && this.container !== container) return;
    this.container = undefined;
    clearTimeout(this.probeTimer);
    if (this.stopping) return;
    const exitCode = info.code ?? 128 + (info.signal === 'SIGKILL' ? 9 : 15);
    this.lastState = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        ...(info.message ? { message: info.message } : {}),
        ...(startedAt ? { startedAt } : {}),
        finishedAt: timestamp(new Date()),
      },
    };
    this.ready = false;
    const policy = this.spec.restartPolicy ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) {
      this.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
      this.state = this.lastState;
      this.lastState = undefined;
      this.writeStatus();
      return;
    }
    this.restartCount += 1;
    const delay = this.ctx.restartDelayMs(this.restartCount);
    this.containerEvent('warning', 'BackOff', `Back-off restarting failed container ${this.containerSpec.name} in pod ${this.name}_${this.namespace}(${this.uid})`);
    this.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${this.containerSpec.name} pod=${this.name}_${this.namespace}(${this.uid})` } };
    this.writeStatus();
    const kind = imageKind(this.containerSpec.image)!;
    this.restartTimer = setTimeout(() => {
      this.starting = this.runContainer(kind);
    }, delay);
  }

  private scheduleProbe(first: boolean): void {
    const probe = this.containerSpec.readinessProbe as JsonMap | undefined;
    if (!probe?.httpGet) return;
    const delayMs = ((first ? probe.initialDelaySeconds : probe.periodSeconds) ?? (first ? 0 : 10)) * 1000;
    this.probeTimer = setTimeout(() => void this.probeOnce(probe), delayMs);
  }

  private async probeOnce(probe: JsonMap): Promise<void> {
    const container = this.container;
    if (!container) return;
    const result = await httpGet(probe.httpGet, this.containerSpec, this.podIP!, (probe.timeoutSeconds ?? 1) * 1000);
    if (this.container !== container) return;
    if (result.ok) {
      this.failures = 0;
      this.successes += 1;
      if (!this.ready && this.successes >= (probe.successThreshold ?? 1)) this.setReady(true);
    } else {
      this.successes = 0;
      this.failures += 1;
      this.containerEvent('warning', 'Unhealthy', `Readiness probe failed: ${result.message}`);
      if (this.ready && this.failures >= (probe.failureThreshold ?? 3)) this.setReady(false);
    }
    this.scheduleProbe(false);
  }

  private setReady(ready: boolean): void {
    this.ready = ready;
    this.writeStatus();
  }

  private async runTermination(options: { hooks: boolean; finalize: boolean } = { hooks: true, finalize: true }): Promise<void> {
    await this.starting;
    const container = this.container;
    if (container) {
      const preStop = this.containerSpec.lifecycle?.preStop as JsonMap | undefined;
      if (options.hooks && preStop) {
        const result = await Promise.race([this.runPreStop(preStop), container.exited.then(() => undefined), this.untilDeadline().then(() => undefined)]);
        if (result) {
          this.onHook({ pod: `${this.namespace}/${this.name}`, uid: this.uid, result });
          if (!result.ok) {
            this.ctx.log(`pod ${this.namespace}/${this.name}: preStop hook failed: ${result.message}`);
            this.containerEvent('warning', 'FailedPreStopHook', `PreStopHook failed: ${result.message}`);
          }
        }
      }
      if (options.hooks) this.containerEvent('normal', 'Killing', `Stopping container ${this.containerSpec.name}`);
      container.signal('SIGTERM');
      const exited = await Promise.race([container.exited.then(() => true), this.untilDeadline().then(() => false)]);
      if (!exited) {
        container.signal('SIGKILL');
        await container.exited;
      }
    }
    clearTimeout(this.probeTimer);
    clearTimeout(this.deadlineTimer);
    this.ctx.ips.release(this.uid);
    if (options.finalize && this.current()) this.ctx.store.finalize('Pod', this.namespace, this.name);
  }

  private runPreStop(hook: JsonMap): Promise<HandlerResult> {
    const remaining = Math.max(0, this.deadlineMs - Date.now());
    if (hook.exec?.command) {
      const pod = this.current();
      const env = pod ? containerEnvironment(pod, this.containerSpec, this.podIP!, this.ctx.baseEnv) : this.ctx.baseEnv;
      return exec(hook.exec.command as string[], env, remaining);
    }
    if (hook.httpGet) return httpGet(hook.httpGet, this.containerSpec, this.podIP!, remaining);
    if (hook.sleep?.seconds !== undefined) {
      return new Promise((resolve) => setTimeout(() => resolve({ ok: true, message: `slept ${hook.sleep.seconds}s` }), Math.min(remaining, hook.sleep.seconds * 1000)));
    }
    return Promise.resolve({ ok: false, message: 'preStop has no exec, httpGet or sleep action' });
  }

  private armDeadline(at: number): void {
    this.deadlineMs = at;
    clearTimeout(this.deadlineTimer);
    const fire = (): void => {
      const waiters = this.deadlineWaiters;
      this.deadlineWaiters = [];
      for (const resolve of waiters) resolve();
    };
    this.deadlineTimer = setTimeout(fire, Math.max(0, at - Date.now()));
  }

  private untilDeadline(): Promise<void> {
    if (Date.now() >= this.deadlineMs) return Promise.resolve();
    return new Promise((resolve) => this.deadlineWaiters.push(resolve));
  }

  /** The pod as stored, if it is still this worker's (a re-created pod has the same name, a new uid). */
  private current(): KubeObject | undefined {
    const pod = this.ctx.store.get('Pod', this.namespace, this.name);
    return pod && pod.metadata.uid === this.uid ? pod : undefined;
  }

  private writeStatus(options: { bind?: boolean } = {}): void {
    const pod = this.current();
    if (!pod) return;
    const view: PodView = {
      phase: this.phase,
      podIP: this.podIP,
      startTime: pod.status?.startTime ?? timestamp(new Date()),
      scheduled: true,
      container: {
        name: this.containerSpec.name ?? 'container',
        image: this.containerSpec.image ?? '',
        state: this.state,
        lastState: this.lastState,
        ready: this.ready,
        restartCount: this.restartCount,
        ...(this.container ? { containerID: `kubesim://${this.container.pid ?? this.uid}` } : {}),
      },
    };
    pod.status = podStatus(pod.status, view, new Date());
    if (options.bind) pod.spec = { ...(pod.spec ?? {}), nodeName: this.ctx.nodeName };
    pod.metadata.resourceVersion = undefined;
    this.ctx.store.update('Pod', pod, { scope: options.bind ? 'all' : 'status' });
  }
}
