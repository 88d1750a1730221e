// The GatewayAdmin port over HTTP (DESIGN.md section 2). Reads never throw for gateway faults:
// they come back unreachable/unknown with a reason. Writes throw GatewayError. Nothing that leaves
// this module carries the admin token or an Authorization value (RELIABILITY rule 10).

import type { Count, DrainAck, GatewayAdmin, Health, Instance, MigrateRequest, MigrateResult, RemainingTime } from '../ops/ports/index.js';
import { GatewayError, UsageError } from '../ops/errors.js';
import {
  activeFromDrainAnswer,
  countFromAnswer,
  healthFromAnswer,
  httpFailure,
  isSuccess,
  migrateFromAnswer,
  unsupportedWrite,
  unknownCount,
} from './answers.js';
import { resolveGatewayConfig, type GatewayClientConfig, type ResolvedGatewayConfig } from './config.js';
import { EndpointBuilder, type Endpoint } from './endpoints.js';
import { GatewayHttp, type HttpAnswer } from './http.js';
import { Redactor } from './redact.js';

export function createGatewayAdmin(config: GatewayClientConfig): GatewayAdmin {
  return new HttpGatewayAdmin(resolveGatewayConfig(config));
}

/** What every view of one client shares: the agent, the endpoints and the redactor. */
interface Shared {
  endpoints: EndpointBuilder;
  http: GatewayHttp;
  redactor: Redactor;
}

function shared(config: ResolvedGatewayConfig): Shared {
  const { transport } = config;
  const proxyHeaders = transport.kind === 'proxy' ? Object.values(transport.headers ?? {}) : [];
  const redactor = new Redactor([config.adminToken, ...proxyHeaders]);
  const tls = transport.tls ?? {};
  const http = new GatewayHttp(
    {
      connectionsPerOrigin: config.connectionsPerOrigin,
      timeoutMs: config.timeoutMs,
      tls: { ...tls, rejectUnauthorized: !config.insecureSkipTlsVerify && (tls.rejectUnauthorized ?? true) },
    },
    redactor,
  );
  return { endpoints: new EndpointBuilder(config), http, redactor };
}

class HttpGatewayAdmin implements GatewayAdmin {
  private readonly endpoints: EndpointBuilder;
  private readonly http: GatewayHttp;
  private readonly redactor: Redactor;

  constructor(
    private readonly config: ResolvedGatewayConfig,
    private readonly parts: Shared = shared(config),
    /** When set, no request outlives it (each timeout is clipped to the time it has left). */
    private readonly deadline?: RemainingTime,
  ) {
    ({ endpoints: this.endpoints, http: this.http, redactor: this.redactor } = parts);
  }

  within(deadline: RemainingTime): GatewayAdmin {
    return new HttpGatewayAdmin(this.config, this.parts, deadline);
  }

  private timeoutMs(): number {
    // Whole milliseconds: timers and undici's timeouts take integers (the monotonic clock does not).
    return this.deadline ? Math.min(this.config.timeoutMs, Math.floor(this.deadline.remaining())) : this.config.timeoutMs;
  }

  async health(instance: Instance, signal?: AbortSignal): Promise<Health> {
    const endpoint = this.readEndpoint(() => this.endpoints.health(instance));
    if (!endpoint.ok) return { status: 'unreachable', failure: 'unreachable', reason: endpoint.reason };
    const outcome = await this.http.send({ method: 'GET', url: endpoint.value.url, headers: accept(endpoint.value, 'json') }, signal, this.timeoutMs());
    if (!outcome.ok) {
      const unreachable = outcome.failure === 'timeout' || outcome.failure === 'unreachable';
      return { status: unreachable ? 'unreachable' : 'unknown', failure: outcome.failure, reason: outcome.reason };
    }
    return healthFromAnswer(outcome.answer, 'GET', this.display(endpoint.value), this.config, this.redactor);
  }

  async connections(instance: Instance, signal?: AbortSignal): Promise<Count> {
    const source = this.config.count;
    const endpoint = this.readEndpoint(() => this.endpoints.admin(instance, source.path));
    if (!endpoint.ok) return unknownCount(endpoint.reason, 'unreachable');
    const kind = source.kind === 'json' ? 'json' : 'text';
    const outcome = await this.http.send({ method: 'GET', url: endpoint.value.url, headers: accept(endpoint.value, kind) }, signal, this.timeoutMs());
    if (!outcome.ok) return unknownCount(outcome.reason, outcome.failure);
    const { answer } = outcome;
    if (!isSuccess(answer.status)) {
      const failed = httpFailure(answer, 'GET', this.display(endpoint.value), this.redactor);
      return unknownCount(failed.reason, failed.failure, this.redactor.snippet(answer.body));
    }
    return countFromAnswer(answer, source, this.redactor);
  }

  async drain(instance: Instance, signal?: AbortSignal): Promise<DrainAck> {
    const { answer } = await this.post(instance, this.config.paths.drain, undefined, signal, 'drained');
    return { accepted: true, httpStatus: answer.status, active: activeFromDrainAnswer(answer, this.redactor) };
  }

  async undrain(instance: Instance, signal?: AbortSignal): Promise<void> {
    await this.post(instance, this.config.paths.undrain, undefined, signal, 'undrained');
  }

  async migrate(instance: Instance, request: MigrateRequest, signal?: AbortSignal): Promise<MigrateResult> {
    validateMigrateRequest(request);
    const body = JSON.stringify({
      count: request.count,
      targets: request.targets,
      reconnectAfterMs: request.reconnectAfterMs,
      jitterMs: request.jitterMs,
      ...(request.batchId !== undefined ? { batchId: request.batchId } : {}),
    });
    const { endpoint, answer } = await this.post(instance, this.config.paths.migrate, body, signal);
    const parsed = migrateFromAnswer(answer, this.redactor);
    if (!parsed.ok) {
      const display = this.display(endpoint);
      throw new GatewayError(
        'malformed',
        display,
        `POST ${display} answered ${answer.status} with ${this.redactor.redact(parsed.reason)}: ${this.redactor.snippet(answer.body)}`,
        answer.status,
      );
    }
    return parsed.value;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /**
   * A 2xx answer to a POST, or a GatewayError naming the endpoint (never a credential). With
   * `action`, a 404/405 means the gateway has no such endpoint: 'unsupported', not a retryable failure.
   */
  private async post(
    instance: Instance,
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    action?: 'drained' | 'undrained',
  ): Promise<{ endpoint: Endpoint; answer: HttpAnswer }> {
    const endpoint = this.endpoints.admin(instance, path);
    const display = this.display(endpoint);
    const headers = body === undefined ? accept(endpoint, 'json') : { ...accept(endpoint, 'json'), 'content-type': 'application/json' };
    const outcome = await this.http.send({ method: 'POST', url: endpoint.url, headers, ...(body !== undefined ? { body } : {}) }, signal, this.timeoutMs());
    if (!outcome.ok) {
      throw new GatewayError(outcome.failure, display, `POST ${display} failed: ${outcome.reason}`);
    }
    const { answer } = outcome;
    const unsupported = action && unsupportedWrite(answer, action, display);
    if (unsupported) throw new GatewayError('unsupported', display, unsupported, answer.status);
    if (!isSuccess(answer.status)) {
      const failed = httpFailure(answer, 'POST', display, this.redactor);
      const detail = failed.failure === 'unauthorized' ? '' : `: ${this.redactor.snippet(answer.body)}`;
      throw new GatewayError(failed.failure, display, `${failed.reason}${detail}`, answer.status);
    }
    return { endpoint, answer };
  }

  /** Endpoint for a read; an instance with no address yet reads as unreachable, not as an error. */
  private readEndpoint(build: () => Endpoint): { ok: true; value: Endpoint } | { ok: false; reason: string } {
    try {
      return { ok: true, value: build() };
    } catch (error) {
      if (error instanceof GatewayError) return { ok: false, reason: error.message };
      throw error;
    }
  }

  private display(endpoint: Endpoint): string {
    return this.redactor.redact(endpoint.display);
  }
}

function accept(endpoint: Endpoint, kind: 'json' | 'text'): Record<string, string> {
  return { ...endpoint.headers, accept: kind === 'json' ? 'application/json' : 'text/plain; version=0.0.4, */*;q=0.1' };
}

function validateMigrateRequest(request: MigrateRequest): void {
  const integers: Array<[string, number]> = [
    ['count', request.count],
    ['reconnectAfterMs', request.reconnectAfterMs],
    ['jitterMs', request.jitterMs],
  ];
  for (const [field, value] of integers) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new UsageError(`invalid migrate ${field} ${value}: must be a non-negative integer`);
    }
  }
  if (!request.targets.every((target) => typeof target === 'string' && target !== '')) {
    throw new UsageError('invalid migrate targets: each must be a non-empty URL');
  }
}
