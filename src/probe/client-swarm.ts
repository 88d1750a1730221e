// A handful of long-lived WebSocket clients that behave like real ones: they stay until told to
// leave, and a client whose connection is closed by the gateway reconnects through `reconnectUrl`
// (a load balancer or Service), as a well-behaved client does after a `migrating` notice.
import WebSocket from 'ws';

export interface SwarmClient {
  /** The instance that said hello. */
  instance: string;
  socket: WebSocket;
}

export interface ClientSwarm {
  clients(): SwarmClient[];
  /** Close `count` clients of `instance` (a session ending), waiting `gapMs` between them; they reconnect to `reconnectUrl`. */
  endSessions(instance: string, count: number, gapMs: number): Promise<void>;
  close(): Promise<void>;
}

function connect(url: string, localAddress?: string): Promise<SwarmClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 5_000, localAddress });
    socket.once('error', reject);
    socket.once('message', (data) => {
      const hello = JSON.parse(String(data)) as { instance?: string };
      resolve({ instance: hello.instance ?? 'unknown', socket });
    });
  });
}

function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

export async function openSwarm(urls: string[], perUrl: number, reconnectUrl: string): Promise<ClientSwarm> {
  const members: SwarmClient[] = [];
  for (const url of urls) {
    for (let i = 0; i < perUrl; i++) members.push(await connect(url));
  }
  let stopping = false;
  const reconnect = async (old: SwarmClient) => {
    members.splice(members.indexOf(old), 1);
    if (!stopping) members.push(await connect(reconnectUrl));
  };
  for (const member of members) member.socket.once('close', () => void reconnect(member).catch(() => undefined));
  return {
    clients: () => [...members],
    async endSessions(instance, count, gapMs) {
      const leaving = members.filter((m) => m.instance === instance).slice(0, count);
      for (const member of leaving) {
        member.socket.close(1000, 'session ended');
        await closed(member.socket);
        await new Promise((r) => setTimeout(r, gapMs));
      }
    },
    async close() {
      stopping = true;
      await Promise.all(
        members.map((m) => {
          m.socket.close(1000, 'demo done');
          setTimeout(() => m.socket.terminate(), 2_000).unref();
          return closed(m.socket);
        }),
      );
    },
  };
}
