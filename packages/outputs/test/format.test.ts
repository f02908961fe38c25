import { DEFAULT_FORMAT, formatAlert, formatJson, formatText, isoTime, textTime } from '@falco-ts/outputs';
import { sampleAlert } from './helpers/alerts';
import { sidekickRejects } from './helpers/sidekick';

describe('alert formatting', () => {
  const alert = sampleAlert(0);

  it('renders the JSON time as UTC ISO 8601 with nanoseconds', () => {
    expect(isoTime(1_726_240_940_545_718_604n)).toBe('2024-09-13T15:22:20.545718604Z');
    expect(isoTime(5n)).toBe('1970-01-01T00:00:00.000000005Z');
  });

  it('renders the text time as local HH:MM:SS.ns, or ISO with +0000', () => {
    const d = new Date(1_726_240_940_545);
    const two = (n: number): string => String(n).padStart(2, '0');
    expect(textTime(1_726_240_940_545_718_604n, false)).toBe(`${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.545718604`);
    expect(textTime(1_726_240_940_545_718_604n, true)).toBe('2024-09-13T15:22:20.545718604+0000');
  });

  it('writes the text form "<time>: <Priority> <output>"', () => {
    expect(formatText(alert, true)).toBe(`2024-09-13T15:22:20.545718604+0000: Warning ${alert.output}`);
  });

  it('writes JSON with sorted keys, typed values, null for missing fields and exact 64-bit integers', () => {
    const json = formatJson(alert, { ...DEFAULT_FORMAT, json: true, timeIso8601: true });
    expect(json).toBe(
      '{"hostname":"test-host",' +
        `"output":"2024-09-13T15:22:20.545718604+0000: Warning ${alert.output}",` +
        '"output_fields":{"container.id":null,"evt.num":10000000000000000,"fd.name":"/etc/shadow","proc.name":"cat","proc.pid":4242},' +
        '"priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall",' +
        '"tags":["filesystem","mitre_credential_access","T1555"],"time":"2024-09-13T15:22:20.545718604Z"}',
    );
    expect(JSON.parse(json).output_fields['evt.num']).toBe(10000000000000000);
  });

  it('honours the json_include_* switches', () => {
    const obj = JSON.parse(formatJson(alert, { ...DEFAULT_FORMAT, json: true, includeOutput: false, includeTags: false, includeMessage: true }));
    expect(Object.keys(obj)).toEqual(['hostname', 'message', 'output_fields', 'priority', 'rule', 'source', 'time']);
    expect(obj.message).toBe(alert.output);
    const noFields = JSON.parse(formatJson(alert, { ...DEFAULT_FORMAT, json: true, includeOutputFields: false }));
    expect(noFields.output_fields).toBeUndefined();
  });

  it('formatAlert picks text or JSON from json_output', () => {
    expect(formatAlert(alert, DEFAULT_FORMAT)).toBe(formatText(alert, false));
    expect(formatAlert(alert, { ...DEFAULT_FORMAT, json: true })).toBe(formatJson(alert, { ...DEFAULT_FORMAT, json: true }));
  });

  it('produces alerts Falcosidekick accepts, including alerts of rules without fields', () => {
    const opts = { ...DEFAULT_FORMAT, json: true };
    expect(sidekickRejects(JSON.parse(formatJson(alert, opts)))).toBeUndefined();
    const bare = sampleAlert(1, { outputFields: {} });
    const parsed = JSON.parse(formatJson(bare, opts));
    expect(parsed.output_fields).toEqual({ 'evt.time': Number(bare.timeNs) });
    expect(sidekickRejects(parsed)).toBeUndefined();
    // And the receiver's rules do reject what Falcosidekick rejects.
    expect(sidekickRejects({ ...parsed, output_fields: {} })).toBe('empty output_fields');
    expect(sidekickRejects({ ...parsed, priority: 'Loud' })).toBe('missing or unknown priority');
    expect(sidekickRejects({ ...parsed, rule: '' })).toBe('missing rule');
  });
});
