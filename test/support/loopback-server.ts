import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A tiny node:http server on one loopback address, counting the TCP connections it accepted. */
export interface LoopbackServer {
  server: http.Server;
  host: string;
  port: number;
  url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Remote addresses of the accepted connections, in order. */
  peers(): string[];
  close(): Promise<void>;
}

export async function startLoopbackServer(
  handler: http.RequestListener,
  host = '127.0.0.1',
): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  const peers: string[] = [];
  server.on('connection', (socket) => {
    sockets.add(socket);
    peers.push(socket.remoteAddress ?? '');
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    host,
    port,
    url: `http://${host}:${port}`,
    connections: () => peers.length,
    peers: () => [...peers],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
