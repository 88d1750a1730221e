import type { ProbeProtocol } from '../../ops/ports/index.js';

/** What one text message from the gateway means to the probe. */
export type GatewayMessage =
  | { kind: 'numbered'; seq: number }
  | { kind: 'notice'; status: string; endpoint?: string; reconnectAfterMs?: number }
  | { kind: 'other'; value: unknown };

// The reference gateway's ticks, recognised in the raw bytes without a string or JSON.parse:
// 15,000 of them arrive every second.
const TICK_PREFIX = '{"type":"tick","seq":';
const TICK_PREFIX_BYTES = Buffer.from(TICK_PREFIX);
const CLOSE_BRACE = 0x7d;

/** The seq of a reference tick, read from its bytes; undefined for any other message. */
function tickSeq(data: Buffer): number | undefined {
  const end = data.length - 1;
  if (end <= TICK_PREFIX_BYTES.length || data[end] !== CLOSE_BRACE) return undefined;
  if (data.compare(TICK_PREFIX_BYTES, 0, TICK_PREFIX_BYTES.length, 0, TICK_PREFIX_BYTES.length) !== 0) return undefined;
  let seq = 0;
  for (let i = TICK_PREFIX_BYTES.length; i < end; i++) {
    const digit = data[i]! - 0x30;
    if (digit < 0 || digit > 9 || seq > Number.MAX_SAFE_INTEGER / 10) return undefined;
    seq = seq * 10 + digit;
  }
  return seq;
}

function readField(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export interface MessageReader {
  /** The instance named by a hello, or undefined when the message has no such field. */
  instanceOf(text: string): string | undefined;
  read(text: string): GatewayMessage;
  /** As read(), from the frame's bytes: a reference tick costs no string. */
  readFrame(data: Buffer): GatewayMessage;
}

export function messageReader(protocol: ProbeProtocol): MessageReader {
  const instancePath = protocol.instanceField.split('.');
  const seqPath = protocol.seqField.split('.');
  const noticePath = protocol.noticeField.split('.');
  const endpointPath = protocol.endpointField.split('.');
  const afterPath = protocol.reconnectAfterField.split('.');
  const fastTicks = protocol.seqField === 'seq';
  const reader: MessageReader = {
    readFrame(data) {
      const seq = fastTicks ? tickSeq(data) : undefined;
      return seq !== undefined ? { kind: 'numbered', seq } : reader.read(data.toString('utf8'));
    },
    instanceOf(text) {
      const named = readField(parse(text), instancePath);
      return typeof named === 'string' && named !== '' ? named : typeof named === 'number' ? String(named) : undefined;
    },
    read(text) {
      if (fastTicks && text.startsWith(TICK_PREFIX) && text.endsWith('}')) {
        const seq = Number(text.slice(TICK_PREFIX.length, -1));
        if (Number.isSafeInteger(seq)) return { kind: 'numbered', seq };
      }
      const value = parse(text);
      const status = readField(value, noticePath);
      if (protocol.notices && typeof status === 'string') {
        const endpoint = readField(value, endpointPath);
        const after = readField(value, afterPath);
        return {
          kind: 'notice',
          status,
          endpoint: typeof endpoint === 'string' && endpoint !== '' ? endpoint : undefined,
          reconnectAfterMs: typeof after === 'number' && Number.isFinite(after) && after >= 0 ? after : undefined,
        };
      }
      const seq = readField(value, seqPath);
      if (typeof seq === 'number' && Number.isSafeInteger(seq)) return { kind: 'numbered', seq };
      return { kind: 'other', value };
    },
  };
  return reader;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
