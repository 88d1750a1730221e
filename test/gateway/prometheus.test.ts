import { describe, expect, it } from 'vitest';
import { countFromPrometheus, parsePrometheusText } from '../../src/gateway/prometheus.js';

describe('parsePrometheusText', () => {
  it('reads names, labels with escapes, values and timestamps', () => {
    const text = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{ method = "post" , code="400", } 3',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      '# a plain comment',
      '',
    ].join('\n');
    const parsed = parsePrometheusText(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.map((sample) => [sample.name, sample.labels, sample.value])).toEqual([
      ['http_requests_total', { method: 'post', code: '200' }, '1027'],
      ['http_requests_total', { method: 'post', code: '400' }, '3'],
      ['msdos_file_access_time_seconds', { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' }, '1.458255915e9'],
      ['metric_without_timestamp_and_labels', {}, '12.47'],
      ['something_weird', { problem: 'division by zero' }, '+Inf'],
    ]);
  });

  const broken: Array<[string, string]> = [
    ['a garbage line', 'garbage line here'],
    ['a name with no value', 'conduit_ws_connections_active'],
    ['a non-numeric value', 'conduit_ws_connections_active lots'],
    ['text after the timestamp', 'conduit_ws_connections_active 1 2 3'],
    ['a fractional timestamp', 'conduit_ws_connections_active 1 2.5'],
    ['an unterminated label value', 'm{a="b} 1'],
    ['an unquoted label value', 'm{a=b} 1'],
    ['an invalid escape', 'm{a="\\t"} 1'],
    ['a label given twice', 'm{a="1",a="2"} 1'],
    ['a missing comma', 'm{a="1" b="2"} 1'],
    ['a TYPE with an unknown type', '# TYPE m sometimes'],
    ['a HELP with no name', '# HELP'],
    ['a duplicate series', 'm{a="1",b="2"} 1\nm{b="2",a="1"} 2'],
    ['a duplicate unlabelled series', 'm 1\nm 1'],
  ];
  for (const [what, text] of broken) {
    it(`refuses ${what}`, () => {
      const parsed = parsePrometheusText(`ok_metric 1\n${text}\n`);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/^line \d+: /);
    });
  }
});

describe('countFromPrometheus', () => {
  const text = 'active{pod="a"} 3\nactive{pod="b"} 4\nactive_total 99\nfrac 1.5\nneg -1\nnan NaN\ninf +Inf\nwhole 5.0\n';

  it('sums every series of the metric', () => {
    expect(countFromPrometheus(text, 'active')).toEqual({ ok: true, value: 7 });
  });

  it('takes the series whose label set equals the filter exactly', () => {
    expect(countFromPrometheus(text, 'active', { pod: 'b' })).toEqual({ ok: true, value: 4 });
    expect(countFromPrometheus(text, 'active', { pod: 'c' }).ok).toBe(false);
    expect(countFromPrometheus(text, 'active', {}).ok).toBe(false);
  });

  it('accepts an integer written as a float', () => {
    expect(countFromPrometheus(text, 'whole')).toEqual({ ok: true, value: 5 });
  });

  for (const metric of ['frac', 'neg', 'nan', 'inf', 'missing']) {
    it(`refuses ${metric} as a count`, () => {
      expect(countFromPrometheus(text, metric).ok).toBe(false);
    });
  }

  it('refuses a value beyond a safe integer', () => {
    expect(countFromPrometheus('big 1e300\n', 'big').ok).toBe(false);
  });
});
