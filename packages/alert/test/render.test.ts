import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FORMAT, createAlert, escapeControls, formatAlert, formatJson, formatText, internalAlert, isoTime, textTime, type Alert } from '@falco-ts/alert';

/** A realistic syscall alert. */
const alert: Alert = createAlert({
  rule: 'Read sensitive file untrusted',
  priority: 'Warning',
  source: 'syscall',
  hostname: 'test-host',
  output: 'Sensitive file opened for reading by non-trusted program (file=/etc/shadow proc=cat)',
  tags: ['filesystem', 'mitre_credential_access', 'T1555'],
  outputFields: { 'container.id': null, 'evt.num': 10_000_000_000_000_000n, 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'proc.pid': 4242 },
  timeNs: 1_726_240_940_545_718_604n,
});

describe('alert times', () => {
  it('renders the JSON time as UTC ISO 8601 with nanoseconds and Z', () => {
    expect(isoTime(1_726_240_940_545_718_604n)).toBe('2024-09-13T15:22:20.545718604Z');
    expect(isoTime(5n)).toBe('1970-01-01T00:00:00.000000005Z');
  });

  it('renders the text time as local HH:MM:SS.ns, or as ISO 8601 with +0000 as libsinsp does', () => {
    const d = new Date(1_726_240_940_545);
    const two = (n: number): string => String(n).padStart(2, '0');
    expect(textTime(1_726_240_940_545_718_604n, false)).toBe(`${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.545718604`);
    expect(textTime(1_726_240_940_545_718_604n, false, 0)).toBe('15:22:20.545718604');
    expect(textTime(1_726_240_940_545_718_604n, false, 60)).toBe('16:22:20.545718604');
    expect(textTime(1_726_240_940_545_718_604n, true)).toBe('2024-09-13T15:22:20.545718604+0000');
  });
});

describe('alert renderings', () => {
  it('writes the text form "<time>: <Priority> <output>"', () => {
    expect(formatText(alert, true)).toBe(`2024-09-13T15:22:20.545718604+0000: Warning ${alert.output}`);
    expect(formatText(alert, false, 0)).toBe(`15:22:20.545718604: Warning ${alert.output}`);
  });

  it('writes JSON with sorted keys, typed values, null for missing fields, exact 64-bit integers and the time field', () => {
    const json = formatJson(alert, { timeIso8601: true });
    expect(json).toBe(
      '{"hostname":"test-host",' +
        `"output":"2024-09-13T15:22:20.545718604+0000: Warning ${alert.output}",` +
        '"output_fields":{"container.id":null,"evt.num":10000000000000000,"evt.time.iso8601":1726240940545718604,"fd.name":"/etc/shadow","proc.name":"cat","proc.pid":4242},' +
        '"priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall",' +
        '"tags":["filesystem","mitre_credential_access","T1555"],"time":"2024-09-13T15:22:20.545718604Z"}',
    );
    expect(JSON.parse(json).output_fields['evt.num']).toBe(10000000000000000);
  });

  it("adds the text line's time field to a rule alert's output_fields, as Falco does, so they are never empty", () => {
    const bare = createAlert({ rule: 'r', priority: 'Notice', source: 'k8s_audit', output: 'o', timeNs: 7n });
    expect(JSON.parse(formatJson(bare)).output_fields).toEqual({ 'evt.time': 7 });
    expect(JSON.parse(formatJson(bare, { timeIso8601: true })).output_fields).toEqual({ 'evt.time.iso8601': 7 });
    // The rule's own %evt.time token gets the same value, the event time in nanoseconds.
    const withTime = createAlert({ rule: 'r', priority: 'Notice', source: 'syscall', output: 'o', timeNs: 7n, outputFields: { 'evt.time': '00:00:00.000000007' } });
    expect(JSON.parse(formatJson(withTime)).output_fields).toEqual({ 'evt.time': 7 });
  });

  it("leaves internal alerts' output_fields as given", () => {
    const a = internalAlert('Falco internal: syscall event drop', 'Debug', 'dropped', { n_drops: 12 });
    expect(JSON.parse(formatJson(a)).output_fields).toEqual({ n_drops: 12 });
  });

  it('honours the json_include_* switches', () => {
    const obj = JSON.parse(formatJson(alert, { includeOutput: false, includeTags: false, includeMessage: true }));
    expect(Object.keys(obj)).toEqual(['hostname', 'message', 'output_fields', 'priority', 'rule', 'source', 'time']);
    expect(obj.message).toBe(alert.output);
    expect(formatJson(alert, { includeTags: false, includeOutputFields: false, includeOutput: false })).toBe(
      '{"hostname":"test-host","priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","time":"2024-09-13T15:22:20.545718604Z"}',
    );
  });

  it('formatAlert picks text or JSON from json_output', () => {
    expect(formatAlert(alert, DEFAULT_FORMAT)).toBe(formatText(alert, false));
    expect(formatAlert(alert, { ...DEFAULT_FORMAT, json: true })).toBe(formatJson(alert));
  });
});

describe('docs', () => {
  it('the README example is the file the test runs, and it renders what the docs show', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = readFileSync(join(__dirname, '..', 'examples', 'render.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { text, json } = require('../examples/render') as { text: string; json: string };
    expect(text).toBe('2024-09-13T15:22:20.545718604+0000: Warning Sensitive file opened for reading (file=/etc/shadow proc=cat)');
    expect(JSON.parse(json)).toMatchObject({ hostname: 'web-1', output_fields: { 'evt.time': 1726240940545718604, 'proc.pid': 4242 }, time: '2024-09-13T15:22:20.545718604Z' });
  });
});

describe('control characters in text alerts', () => {
  // A file name that tries to forge a second alert line and to drive the terminal.
  const forged = createAlert({
    rule: 'r',
    priority: 'Warning',
    source: 'syscall',
    hostname: 'h',
    output: 'opened (file=/tmp/x\nFAKE 00:00:00.000000000: Critical forged\r\x1b[2Jz\t\x00\x7f\x85\u2028 é\\n)',
    outputFields: { 'fd.name': '/tmp/x\nFAKE 00:00:00.000000000: Critical forged' },
    timeNs: 0n,
  });

  it('are escaped in the text line, so one alert is one line', () => {
    const line = formatText(forged, true);
    expect(line).toBe(
      '1970-01-01T00:00:00.000000000+0000: Warning opened (file=/tmp/x\\nFAKE 00:00:00.000000000: Critical forged\\r\\x1b[2Jz\\t\\x00\\x7f\\x85\\u2028 é\\n)',
    );
    expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(formatAlert(forged, DEFAULT_FORMAT).split('\n')).toHaveLength(1);
  });

  it('are left to JSON escaping in JSON alerts, whose values keep the original text', () => {
    const json = JSON.parse(formatJson(forged)) as { output: string; output_fields: Record<string, string> };
    expect(json.output_fields['fd.name']).toBe('/tmp/x\nFAKE 00:00:00.000000000: Critical forged');
    expect(json.output.endsWith(forged.output)).toBe(true);
  });

  it('leave text without controls as it is', () => {
    expect(escapeControls('plain /tmp/é ✓ \\ text')).toBe('plain /tmp/é ✓ \\ text');
  });
});
