// Test clients for the reference gateway: a plain HTTP requester (fresh connection each time) and
// a raw TCP WebSocket client that ignores close frames (the ws clients are in test/support/ws-clients.ts).
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { until } from '../support/until.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export function request(url: string, options: RequestOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

export function json(answer: HttpAnswer): unknown {
  return JSON.parse(answer.body);
}

export function post(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

export interface Frame {
  opcode: number;
  payload: Buffer;
}

/**
 * A WebSocket client on a bare TCP socket that completes the handshake and then never answers
 * anything, in particular not the server's close frame. It records the frames it receives.
 */
export class IgnoringClient {
  readonly frames: Frame[] = [];
  readonly ended: Promise<void>;
  private buffer = Buffer.alloc(0);
  private handshakeDone = false;

  private constructor(private readonly socket: Socket) {
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  static async open(host: string, port: number): Promise<IgnoringClient> {
    const socket = connect({ host, port });
    const client = new IgnoringClient(socket);
    socket.write(
      'GET /v1/subscribe HTTP/1.1\r\n' +
        `Host: ${host}:${port}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await until(() => client.frames.length > 0, 'condition', 10_000, 10);
    return client;
  }

  texts(): string[] {
    return this.frames.filter((frame) => frame.opcode === 1).map((frame) => frame.payload.toString('utf8'));
  }

  closeCode(): number | undefined {
    const close = this.frames.find((frame) => frame.opcode === 8);
    return close === undefined ? undefined : close.payload.readUInt16BE(0);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.handshakeDone) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!this.buffer.subarray(0, end).toString('latin1').startsWith('HTTP/1.1 101')) {
        this.socket.destroy();
        return;
      }
      this.handshakeDone = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    // Server frames are unmasked; the gateway's frames are small (no 64-bit lengths).
    while (this.buffer.length >= 2) {
      const opcode = (this.buffer[0] as number) & 0x0f;
      let length = (this.buffer[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      }
      if (this.buffer.length < offset + length) return;
      this.frames.push({ opcode, payload: this.buffer.subarray(offset, offset + length) });
      this.buffer = this.buffer.subarray(offset + length);
    }
  }
}

/** Hands out distinct loopback addresses in one /24, so tests never share an address. */
export function addressPool(thirdOctet: number): () => string {
  let last = 0;
  return () => {
    last += 1;
    if (last > 254) throw new Error('address pool exhausted');
    return `127.0.${thirdOctet}.${last}`;
  };
}
