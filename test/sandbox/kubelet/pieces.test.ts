import { describe, expect, it } from 'vitest';
import { containerEnvironment, expandReferences } from '../../../src/sandbox/kubelet/container-env.js';
import { imageKind } from '../../../src/sandbox/kubelet/images.js';
import { createIpPool } from '../../../src/sandbox/kubelet/ip-pool.js';
import { BackendPicker } from '../../../src/sandbox/service-proxy/backends.js';

describe('image registry', () => {
  it('maps conduit/reference-gateway with any tag, digest or registry host to the gateway', () => {
    for (const image of ['conduit/reference-gateway', 'conduit/reference-gateway:0.1.0', 'ghcr.io/conduit/reference-gateway:1', 'localhost:5000/conduit/reference-gateway@sha256:abc']) {
      expect(imageKind(image)).toBe('reference-gateway');
    }
    expect(imageKind('nginx:1.27')).toBeUndefined();
    expect(imageKind('conduit/other')).toBeUndefined();
  });
});

describe('pod IP pool', () => {
  it('hands out loopback addresses from the range, skipping network and broadcast, and reuses released ones', () => {
    const pool = createIpPool('127.0.100.0/30');
    expect(pool.allocate('a')).toBe('127.0.100.1');
    expect(pool.allocate('a')).toBe('127.0.100.1');
    expect(pool.allocate('b')).toBe('127.0.100.2');
    expect(() => pool.allocate('c')).toThrow(/no free pod IP/);
    pool.release('a');
    expect(pool.allocate('c')).toBe('127.0.100.1');
    expect(() => createIpPool('10.0.0.0/24')).toThrow(/loopback/);
  });
});

describe('container environment', () => {
  it('injects POD_* and resolves fieldRef and $(VAR) references', () => {
    const pod = { metadata: { name: 'gw-0', namespace: 'ns', uid: 'u1', labels: { app: 'gw' } }, spec: {} };
    const env = containerEnvironment(
      pod,
      {
        env: [
          { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'URL', value: 'http://$(MY_IP):9087 $$(MY_IP)' },
        ],
      },
      '127.0.100.7',
      { PATH: '/bin' },
    );
    expect(env).toMatchObject({ PATH: '/bin', POD_NAME: 'gw-0', POD_NAMESPACE: 'ns', POD_IP: '127.0.100.7', MY_IP: '127.0.100.7', APP: 'gw', URL: 'http://127.0.100.7:9087 $(MY_IP)' });
    expect(expandReferences('$(UNKNOWN)', {})).toBe('$(UNKNOWN)');
  });
});

describe('service backend picker', () => {
  const a = { host: '127.0.100.1', port: 9088 };
  const b = { host: '127.0.100.2', port: 9088 };

  it('round-robins without affinity', () => {
    const picker = new BackendPicker({ timeoutMs: 0 });
    picker.setBackends([a, b]);
    expect([picker.pick('1.1.1.1'), picker.pick('1.1.1.1'), picker.pick('1.1.1.1')]).toEqual([a, b, a]);
  });

  it('with ClientIP affinity pins a client until the timeout or until its backend is gone', () => {
    let now = 0;
    const picker = new BackendPicker({ timeoutMs: 1000 }, () => now);
    picker.setBackends([a, b]);
    expect(picker.pick('127.0.5.1')).toEqual(a);
    expect(picker.pick('127.0.5.1')).toEqual(a);
    expect(picker.pick('127.0.5.2')).toEqual(b);
    now = 5000; // both pins expired: the next pick is round-robin again, then pinned anew
    expect(picker.pick('127.0.5.2')).toEqual(a);
    expect(picker.pick('127.0.5.2')).toEqual(a);
    picker.setBackends([a]);
    expect(picker.pick('127.0.5.2')).toEqual(a);
    picker.setBackends([]);
    expect(picker.pick('127.0.5.2')).toBeUndefined();
  });
});
