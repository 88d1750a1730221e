// A small WebSocket server the pool tests script per connection: it says hello as an instance,
// and the test decides what each socket then receives and how it ends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ServerSocket {
  ws: WebSocket;
  remoteAddress: string;
  cookie: string | undefined;
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ScriptedServer {
  url: string;
  sockets: ServerSocket[];
  /** Sockets still open. */
  open(): ServerSocket[];
  /** Refuse upgrades with this status (undefined: accept). */
  refuseWith: number | undefined;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  host: string;
  instance: string;
  /** Set-Cookie on the 101 answer. */
  setCookie?: string;
  autoPong?: boolean;
  hello?: (instance: string) => string;
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, autoPong: options.autoPong ?? true });
  const sockets: ServerSocket[] = [];
  const server: ScriptedServer = {
    url: '',
    sockets,
    open: () => sockets.filter((s) => s.ws.readyState === 1),
    refuseWith: undefined,
    close: async () => {
      for (const s of sockets) s.ws.terminate();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
  if (options.setCookie) wss.on('headers', (headers) => headers.push(`Set-Cookie: ${options.setCookie}`));
  http.on('upgrade', (req, socket, head) => {
    if (server.refuseWith !== undefined) {
      socket.end(`HTTP/1.1 ${server.refuseWith} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push({
        ws,
        remoteAddress: req.socket.remoteAddress ?? '',
        cookie: req.headers.cookie,
        protocol: ws.protocol,
        headers: req.headers,
      });
      ws.on('error', () => {});
      ws.send(options.hello ? options.hello(options.instance) : JSON.stringify({ type: 'hello', instance: options.instance }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, options.host, resolve));
  server.url = `ws://${options.host}:${(http.address() as AddressInfo).port}/v1/subscribe`;
  return server;
}
