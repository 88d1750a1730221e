// An HTTP proxy in front of one gateway's admin port that can lose the answer to a POST
// /admin/migrate AFTER the gateway acted on it: the request is forwarded, the gateway's answer is
// read, and then the client's socket is destroyed instead — as when a connection dies on the way
// back. Records every migrate body it forwarded.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  url: string;
  /** Bodies of the POST /admin/migrate requests forwarded, in order. */
  migrateBodies: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startFaultProxy(options: { target: string; bind: string; dropMigrateAnswers: number }): Promise<FaultProxy> {
  let drops = options.dropMigrateAnswers;
  const migrateBodies: Array<Record<string, unknown>> = [];
  const target = new URL(options.target);
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const isMigrate = req.method === 'POST' && (req.url ?? '').endsWith('/admin/migrate');
    if (isMigrate) migrateBodies.push(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host }, agent: false }, async (answer) => {
      const answerBody = await readBody(answer);
      if (isMigrate && drops > 0) {
        drops -= 1;
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.end(answerBody);
    });
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, options.bind, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.bind}:${port}`,
    migrateBodies,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
