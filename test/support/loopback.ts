// Loopback ranges, one owner each. A test file that binds addresses of its own (reference
// gateways, a sandbox world's pods and Services, load balancers, clients' source addresses) owns
// its ranges here; test/support/loopback.test.ts fails when two files' ranges overlap or a file
// binds outside its own. 127.0.0.1 with port 0 is everyone's (the OS picks a free port).
// New test files take a free /24 of their helper's range (127.40–127.48.x.y) and add a line.

import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

export const LOOPBACK_RANGES: Readonly<Record<string, readonly string[]>> = {
  'test/cli/sandbox-ranges.test.ts': ['127.49.1.0/24', '127.49.2.0/24', '127.49.9.0/24'], // nothing bound: recorded flags only
  'test/cli/sandbox-demo-steps.test.ts': ['127.49.3.0/24'], // nothing bound: step arguments only
  'test/e2e/completion-command.test.ts': ['127.43.9.0/24'],
  'test/e2e/completion-shells.test.ts': ['127.43.1.0/24', '127.43.2.0/24'],
  'test/e2e/drain-fleet.test.ts': ['127.0.32.0/24', '127.0.33.0/24', '127.0.34.0/24'],
  'test/e2e/hardening/drain-fleet.test.ts': ['127.44.5.0/24', '127.44.6.0/24', '127.44.7.0/24', '127.44.11.0/24'],
  'test/e2e/hardening/foreign-gateways.test.ts': ['127.44.9.0/24'],
  'test/e2e/hardening/output.test.ts': ['127.44.10.0/24'],
  'test/e2e/hardening/secrets-and-input.test.ts': ['127.44.4.0/24'],
  'test/e2e/hardening/undrain.test.ts': ['127.44.14.0/24', '127.44.20.0/24', '127.44.21.0/24'],
  'test/e2e/kube-drain-kube-sim.test.ts': ['127.0.122.0/24', '127.0.123.0/24'],
  'test/e2e/migrate-fleet.test.ts': ['127.45.1.0/24', '127.45.2.0/24', '127.45.3.0/24', '127.45.4.0/24', '127.45.5.0/24'],
  'test/e2e/migrate-haproxy.test.ts': ['127.45.30.0/24'],
  'test/e2e/migrate-rollout-kube-sim.test.ts': ['127.45.20.0/24', '127.45.21.0/24', '127.45.23.0/24', '127.45.24.0/24'],
  'test/e2e/migrate-kube-sim.test.ts': ['127.45.10.0/24', '127.45.11.0/24', '127.45.12.0/24'],
  'test/e2e/probe-kube-sim.test.ts': ['127.40.10.0/24', '127.40.11.0/24', '127.40.12.0/24'],
  'test/e2e/probe-faults.test.ts': ['127.40.30.0/24'],
  'test/e2e/probe-until-stopped.test.ts': ['127.40.32.0/24'],
  'test/e2e/sandbox-demo.test.ts': ['127.0.140.0/24', '127.0.141.0/24', '127.0.142.0/23', '127.0.144.0/22'],
  'test/e2e/scale-kube-sim-parallel.test.ts': ['127.0.124.0/24', '127.0.125.0/24'],
  'test/e2e/scale-kube-sim.test.ts': ['127.0.120.0/24', '127.0.121.0/24'],
  'test/e2e/status-fleet.test.ts': ['127.0.30.0/29', '127.0.31.0/24'],
  'test/e2e/verify-sticky-haproxy.test.ts': ['127.0.61.0/24', '127.0.62.0/24'],
  'test/e2e/verify-sticky-kube-sim.test.ts': ['127.0.112.0/24', '127.0.113.0/24'],
  'test/e2e/verify-sticky-nginx.test.ts': ['127.0.63.0/24'],
  'test/e2e/wscat.test.ts': ['127.41.1.0/24'],
  'test/e2e/single-file.test.ts': ['127.46.10.0/24', '127.46.20.0/24', '127.46.21.0/24'],
  'test/gateway/connections.test.ts': ['127.0.4.0/29'],
  'test/gateway/hardening.test.ts': ['127.44.2.0/24'],
  'test/gateway/http-edges.test.ts': ['127.46.1.0/24'],
  'test/gateway/health.test.ts': ['127.0.4.8/29'],
  'test/gateway/keep-alive.test.ts': ['127.0.4.56/29'],
  'test/gateway/transports.test.ts': ['127.0.4.40/29'],
  'test/gateway/writes.test.ts': ['127.0.4.16/28'],
  'test/probe/pool/pool.test.ts': ['127.40.1.0/24'],
  'test/reference-gateway/admin.test.ts': ['127.0.21.0/24'],
  'test/reference-gateway/boot-id.test.ts': ['127.44.1.0/24'],
  'test/reference-gateway/fleet.test.ts': ['127.0.23.0/24'],
  'test/reference-gateway/options.test.ts': ['127.0.10.0/29', '127.0.30.8/29'],
  'test/reference-gateway/process.test.ts': ['127.0.24.0/24'],
  'test/sandbox/api-address.test.ts': ['127.42.30.0/24', '127.42.31.0/24'],
  'test/sandbox/fleet-and-cli.test.ts': ['127.47.120.0/24', '127.47.121.0/24', '127.0.130.0/24', '127.0.131.0/24'],
  'test/sandbox/kubelet/pieces.test.ts': ['127.0.100.0/30'],
  'test/sandbox/world-kubectl.test.ts': ['127.0.110.0/24', '127.0.111.0/24', '127.47.131.0/24'],
  // Runbook k of docs/runbooks/ (test/e2e/runbooks/): 127.48.(10k).0/24 pods, 127.48.(10k+1).0/24 Services, then the
  // runbook's literal client and load-balancer addresses. test/support/runbook.ts reads the first two.
  'test/e2e/runbooks/drain-a-pod.test.ts': ['127.48.10.0/24', '127.48.11.0/24', '127.48.12.0/24'],
  'test/e2e/runbooks/scale-down-safely.test.ts': ['127.48.20.0/24', '127.48.21.0/24', '127.48.22.0/24'],
  'test/e2e/runbooks/roll-out-with-a-probe.test.ts': ['127.48.30.0/24', '127.48.31.0/24', '127.48.32.0/24'],
  'test/e2e/runbooks/move-connections-off-a-pod.test.ts': ['127.48.40.0/24', '127.48.41.0/24', '127.48.42.0/24'],
  'test/e2e/runbooks/rebalance-after-a-scale-up.test.ts': ['127.48.50.0/24', '127.48.51.0/24', '127.48.52.0/24'],
  'test/e2e/runbooks/verify-stickiness.test.ts': ['127.48.60.0/24', '127.48.61.0/24', '127.48.62.0/24', '127.48.64.0/22', '127.48.68.0/23'],
  'test/e2e/runbooks/prestop-drain-migrate.test.ts': ['127.48.70.0/24', '127.48.71.0/24', '127.48.72.0/24'],
};

/** The ranges the calling test file owns: `loopbackRanges(import.meta.url)`. Throws for a file with none. */
export function loopbackRanges(fileUrl: string): readonly string[] {
  const file = relative(fileURLToPath(new URL('../../', import.meta.url)), fileURLToPath(fileUrl));
  const ranges = LOOPBACK_RANGES[file];
  if (!ranges) throw new Error(`${file} owns no loopback range: add it to test/support/loopback.ts`);
  return ranges;
}

/** [first, last] address of a CIDR as 32-bit numbers. */
export function cidrBounds(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/') as [string, string];
  const base = ipNumber(ip);
  const size = 2 ** (32 - Number(bits));
  const first = base - (base % size);
  return [first, first + size - 1];
}

export function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}
