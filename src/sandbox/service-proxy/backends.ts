// Choosing a backend for a new connection, as kube-proxy does: round-robin over the Ready
// endpoints, or with sessionAffinity ClientIP the endpoint this client IP used last, until the
// affinity times out or that endpoint is no longer ready.

export interface Backend {
  host: string;
  port: number;
}

export interface AffinitySettings {
  /** 0: no affinity (round-robin per connection). */
  timeoutMs: number;
}

export const backendKey = (b: Backend): string => `${b.host}:${b.port}`;

export class BackendPicker {
  private backends: Backend[] = [];
  private next = 0;
  private readonly pinned = new Map<string, { key: string; expiresAt: number }>();

  constructor(
    private affinity: AffinitySettings,
    private readonly now: () => number = Date.now,
  ) {}

  setBackends(backends: Backend[]): void {
    this.backends = backends;
  }

  setAffinity(affinity: AffinitySettings): void {
    this.affinity = affinity;
    if (affinity.timeoutMs === 0) this.pinned.clear();
  }

  get size(): number {
    return this.backends.length;
  }

  pick(clientIp: string): Backend | undefined {
    if (this.backends.length === 0) return undefined;
    const at = this.now();
    if (this.affinity.timeoutMs > 0) {
      const pin = this.pinned.get(clientIp);
      const still = pin && pin.expiresAt > at ? this.backends.find((b) => backendKey(b) === pin.key) : undefined;
      if (still) {
        pin!.expiresAt = at + this.affinity.timeoutMs;
        return still;
      }
    }
    const chosen = this.backends[this.next % this.backends.length]!;
    this.next = (this.next + 1) % this.backends.length;
    if (this.affinity.timeoutMs > 0) {
      this.pinned.set(clientIp, { key: backendKey(chosen), expiresAt: at + this.affinity.timeoutMs });
      this.forgetExpired(at);
    }
    return chosen;
  }

  private forgetExpired(at: number): void {
    if (this.pinned.size < 1024) return;
    for (const [ip, pin] of this.pinned) if (pin.expiresAt <= at) this.pinned.delete(ip);
  }
}
