// nginx in front of reference gateways, configured as references 000 and 004 show: an upstream
// with `ip_hash` (or plain round-robin), WebSocket upgrade headers on /v1/subscribe. Everything it
// writes (pid, logs, temp files) stays in a temp dir, so it runs as root without touching /etc or /var.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NGINX } from './binaries.js';
import type { Backend } from './haproxy.js';
import { startBalancer, type RunningBalancer } from './process.js';

export interface NginxOptions {
  balance: 'ip_hash' | 'round-robin';
}

export type RunningNginx = RunningBalancer;

export function nginxConfig(prefix: string, listen: { host: string; port: number }, backends: readonly Backend[], options: NginxOptions): string {
  const isRoot = process.getuid?.() === 0;
  return `${isRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;

  upstream conduit_ws {
    # ${options.balance === 'ip_hash' ? 'IP hash ensures same client → same backend' : 'round-robin: no affinity at all'}
${options.balance === 'ip_hash' ? '    ip_hash;\n' : ''}${backends.map((b) => `    server ${b.address}:${b.port} max_fails=3 fail_timeout=30s;`).join('\n')}
  }

  server {
    listen ${listen.host}:${listen.port};

    location /v1/subscribe {
      proxy_pass http://conduit_ws;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1h;
      proxy_buffering off;
    }

    location /health {
      proxy_pass http://conduit_ws;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_connect_timeout 2s;
      proxy_read_timeout 2s;
    }
  }
}
`;
}

export async function startNginx(backends: readonly Backend[], options: NginxOptions): Promise<RunningNginx> {
  if (!NGINX) throw new Error('nginx is not installed');
  return startBalancer(
    'nginx',
    NGINX,
    'nginx.conf',
    (dir, listen) => {
      mkdirSync(join(dir, 'tmp'));
      return nginxConfig(dir, listen, backends, options);
    },
    // -e: the error log before the config is read (else nginx opens /var/log/nginx/error.log).
    (dir, file) => ['-p', dir, '-c', file, '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
  );
}
