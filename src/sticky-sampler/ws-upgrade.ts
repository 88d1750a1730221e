// Just enough of a WebSocket client (RFC 6455) for a sample, over node:http: the upgrade request,
// the 101 check (Sec-WebSocket-Accept), the first data message, and a clean close with 1000.
// The `ws` package belongs to src/probe/ (the probe pool); a sample needs none of its features.

import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface UpgradeOptions {
  url: URL;
  headers: Record<string, string>;
  localAddress?: string;
  rejectUnauthorized: boolean;
  /** Once the message arrived: how long the peer may take to answer our close. */
  closeTimeoutMs: number;
}

export interface UpgradeHandlers {
  /** The 101 answer (headers, cookies) and our end of the connection. */
  upgraded(response: IncomingMessage, socket: Socket): void;
  /** Any other answer: the upgrade was refused (the body is for the handler to read). */
  refused(response: IncomingMessage): void;
  /** The first data message (binary ones arrive as undefined text). */
  message(text: string | undefined): void;
  error(error: Error): void;
  /** The connection is gone, with the close code the peer sent (1006 when none). */
  closed(code: number): void;
}

export interface Upgrade {
  /** Send a close frame with 1000; the socket ends when the peer answers or closeTimeoutMs passes. */
  close(): void;
  /** Cut the connection at once. */
  terminate(): void;
}

export function openUpgrade(o: UpgradeOptions, on: UpgradeHandlers): Upgrade {
  const key = randomBytes(16).toString('base64');
  const secure = o.url.protocol === 'wss:';
  const request = (secure ? https : http).request({
    protocol: secure ? 'https:' : 'http:',
    hostname: o.url.hostname.replace(/^\[|\]$/g, ''),
    port: o.url.port || (secure ? 443 : 80),
    path: `${o.url.pathname}${o.url.search}`,
    method: 'GET',
    agent: false,
    localAddress: o.localAddress,
    rejectUnauthorized: o.rejectUnauthorized,
    headers: { ...o.headers, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key },
  });
  let socket: Socket | undefined;
  let closing = false;
  let closedCode: number | undefined;
  let gone = false;
  const finish = (code: number) => {
    if (gone) return;
    gone = true;
    on.closed(closedCode ?? code);
  };

  request.on('response', (response) => on.refused(response));
  request.on('error', (error) => {
    on.error(error);
    finish(1006);
  });
  request.on('upgrade', (response, upgraded: Socket, head: Buffer) => {
    socket = upgraded;
    const expected = createHash('sha1').update(key + GUID).digest('base64');
    if (response.statusCode !== 101 || response.headers['sec-websocket-accept'] !== expected) {
      on.error(new Error('invalid WebSocket handshake (Sec-WebSocket-Accept)'));
      upgraded.destroy();
      finish(1006);
      return;
    }
    on.upgraded(response, upgraded);
    const reader = new FrameReader();
    let delivered = false;
    const consume = (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (frame.opcode === OP.close) {
          closedCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
          if (!closing) upgraded.write(encodeFrame(OP.close, frame.payload.subarray(0, 2)));
          upgraded.end();
        } else if (frame.opcode === OP.ping) {
          upgraded.write(encodeFrame(OP.pong, frame.payload));
        } else if (!delivered && (frame.opcode === OP.text || frame.opcode === OP.binary)) {
          delivered = true;
          on.message(frame.opcode === OP.text ? frame.payload.toString('utf8') : undefined);
        }
      }
      if (reader.tooLarge) upgraded.destroy();
    };
    upgraded.on('data', consume);
    upgraded.on('error', (error) => on.error(error));
    upgraded.on('close', () => finish(1006));
    if (head.length) consume(head);
  });
  request.end();

  return {
    close() {
      if (!socket || closing || gone) return;
      closing = true;
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000);
      socket.write(encodeFrame(OP.close, Buffer.concat([code, Buffer.from('verify-sticky: sampled')])));
      const s = socket;
      setTimeout(() => s.destroy(), o.closeTimeoutMs).unref();
    },
    terminate() {
      request.destroy();
      socket?.destroy();
    },
  };
}

/** A client frame: FIN set, masked (RFC 6455 §5.3). Payloads here are small (< 126 bytes). */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

interface Frame {
  opcode: number;
  payload: Buffer;
}

/** Server frames (unmasked), with fragmented messages joined. */
class FrameReader {
  private buffered = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  tooLarge = false;

  push(chunk: Buffer): Frame[] {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      if (frame.opcode >= OP.close) frames.push({ opcode: frame.opcode, payload: frame.payload });
      else {
        if (frame.opcode !== OP.continuation) this.fragmentOpcode = frame.opcode;
        this.fragments.push(frame.payload);
        if (frame.fin) {
          frames.push({ opcode: this.fragmentOpcode, payload: Buffer.concat(this.fragments) });
          this.fragments = [];
        }
      }
    }
  }

  private next(): (Frame & { fin: boolean }) | undefined {
    const b = this.buffered;
    if (b.length < 2) return undefined;
    let length = b[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      length = big > BigInt(MAX_MESSAGE_BYTES) ? MAX_MESSAGE_BYTES + 1 : Number(big);
      offset = 10;
    }
    if (length > MAX_MESSAGE_BYTES) {
      this.tooLarge = true;
      this.buffered = Buffer.alloc(0);
      return undefined;
    }
    const masked = (b[1]! & 0x80) !== 0;
    const maskAt = offset;
    if (masked) offset += 4;
    if (b.length < offset + length) return undefined;
    let payload = b.subarray(offset, offset + length);
    if (masked) payload = Buffer.from(payload.map((byte, i) => byte ^ b[maskAt + (i % 4)]!));
    this.buffered = b.subarray(offset + length);
    return { fin: (b[0]! & 0x80) !== 0, opcode: b[0]! & 0x0f, payload };
  }
}
