// Real WebSocket clients for end-to-end tests: connect, wait for the gateway's hello, close.
import WebSocket from 'ws';

export async function connectClients(url: string, count: number, localAddress?: string): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 5_000, localAddress });
        ws.once('message', () => resolve(ws)); // the hello
        ws.once('error', reject);
      }),
    ),
  );
}

export async function closeClients(clients: WebSocket[]): Promise<void> {
  await Promise.all(
    clients.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000, 'test done');
          setTimeout(() => ws.terminate(), 2_000).unref();
        }),
    ),
  );
}
