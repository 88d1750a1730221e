// A programmable HTTP server standing in for a gateway's admin port (or the API server), written
// independently of src/: it records what it was asked and answers what each test scripts.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse, socket: Socket) => void;

export class FakeAdminServer {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted so far. */
  connections = 0;
  private readonly open = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly host: string,
    private handler: Handler,
    private readonly scheme: 'http' | 'https',
  ) {
    server.on('connection', (socket: Socket) => {
      this.connections++;
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
    });
  }

  static async start(host: string, handler: Handler, tls?: { cert: string; key: string; ca?: string; requestCert?: boolean; rejectUnauthorized?: boolean }): Promise<FakeAdminServer> {
    const listener = (req: IncomingMessage, res: ServerResponse) => fake.receive(req, res);
    const server = tls ? createTlsServer(tls, listener) : createServer(listener);
    const fake = new FakeAdminServer(server, host, handler, tls ? 'https' : 'http');
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return fake;
  }

  /** TCP connections currently open. */
  get openConnections(): number {
    return this.open.size;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `${this.scheme}://${this.host}:${this.port}`;
  }

  answerWith(handler: Handler): void {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      this.requests.push(recorded);
      this.handler(recorded, res, req.socket);
    });
  }
}

/** Answer with a status and a raw body (JSON bodies are passed pre-serialised so malformed ones are possible). */
export function reply(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
}
