import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/ops/errors.js';
import { parseSourceIps } from '../../../src/commands/shared/source-ips.js';

describe('--source-ips', () => {
  it('takes a list, keeping the order and dropping repeats', () => {
    expect(parseSourceIps('127.0.1.1, 127.0.2.1,127.0.1.1')).toEqual(['127.0.1.1', '127.0.2.1']);
  });

  it('expands a full-address range, inclusive, across octet boundaries', () => {
    expect(parseSourceIps('127.0.0.20-127.0.0.22')).toEqual(['127.0.0.20', '127.0.0.21', '127.0.0.22']);
    expect(parseSourceIps('127.0.0.254-127.0.1.1')).toEqual(['127.0.0.254', '127.0.0.255', '127.0.1.0', '127.0.1.1']);
  });

  it('expands octet ranges, so addresses can differ in the third octet for nginx ip_hash', () => {
    expect(parseSourceIps('127.0.1-3.1')).toEqual(['127.0.1.1', '127.0.2.1', '127.0.3.1']);
    expect(parseSourceIps('127.0.1-2.5-6')).toEqual(['127.0.1.5', '127.0.1.6', '127.0.2.5', '127.0.2.6']);
  });

  it('mixes forms in one list', () => {
    expect(parseSourceIps('127.0.9.9,127.0.1-2.1')).toEqual(['127.0.9.9', '127.0.1.1', '127.0.2.1']);
  });

  it.each([
    ['127.0.0', 'not a valid IPv4'],
    ['127.0.0.256', 'not a valid IPv4'],
    ['localhost', 'not a valid IPv4'],
    ['127.0.0.1-2-3', 'not a valid IPv4'],
    ['127.0.0.9-127.0.0.1', 'ends before it starts'],
    ['127.0.5-1.1', 'ends before it starts'],
    ['127.0.0.1,,127.0.0.2', 'empty entry'],
    ['127.0.0.0-127.0.8.0', 'more than 1024 addresses'],
    ['127.0.0-255.0-255', 'more than 1024 addresses'],
    ['127.0.0-3.0-255,127.0.9.1', 'more than 1024 addresses'],
  ])('refuses %s (%s)', (text, message) => {
    expect(() => parseSourceIps(text)).toThrow(UsageError);
    expect(() => parseSourceIps(text)).toThrow(message);
  });

  it('accepts exactly 1024 addresses', () => {
    expect(parseSourceIps('127.0.0-3.0-255')).toHaveLength(1024);
  });
});
