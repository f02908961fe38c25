import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spool } from '@falco-ts/outputs';
import { sampleAlert } from './helpers/alerts';
import { tempDir } from './helpers/net';

describe('Spool', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('keeps undelivered alerts across a close and re-open, with every field intact', () => {
    const s = Spool.open(tmp.dir, 100);
    const alerts = [0, 1, 2, 3].map((i) => sampleAlert(i));
    expect(s.append(alerts)).toBe(4);
    expect(s.peek()).toEqual(alerts[0]);
    s.ack();
    s.close();
    const again = Spool.open(tmp.dir, 100);
    expect(again.size).toBe(3);
    expect(again.peek()).toEqual(alerts[1]);
    expect(typeof again.peek()?.outputFields['evt.num']).toBe('bigint');
    again.close();
  });

  it('accepts no more than its bound', () => {
    const s = Spool.open(tmp.dir, 3);
    expect(s.append([0, 1].map((i) => sampleAlert(i)))).toBe(2);
    expect(s.append([2, 3, 4].map((i) => sampleAlert(i)))).toBe(1);
    expect(s.size).toBe(3);
    s.close();
  });

  it('empties its file once everything is delivered', () => {
    const s = Spool.open(tmp.dir, 10);
    s.append([sampleAlert(0), sampleAlert(1)]);
    s.ack();
    s.ack();
    expect(readFileSync(join(tmp.dir, 'alerts.jsonl'), 'utf8')).toBe('');
    s.close();
  });

  it('skips a corrupt line with a positioned error and drops a half-written last line', () => {
    const s = Spool.open(tmp.dir, 10);
    s.append([sampleAlert(0)]);
    s.close();
    appendFileSync(join(tmp.dir, 'alerts.jsonl'), 'not json\n');
    const good = readFileSync(join(tmp.dir, 'alerts.jsonl'), 'utf8').split('\n')[0];
    appendFileSync(join(tmp.dir, 'alerts.jsonl'), `${good}\n${good.slice(0, 20)}`);
    const again = Spool.open(tmp.dir, 10);
    expect(again.size).toBe(2);
    expect(again.corrupt).toHaveLength(1);
    expect(again.corrupt[0].code).toBe('OUTPUTS_SPOOL_CORRUPT');
    expect(again.corrupt[0].context.line).toBe(2);
    expect(again.corrupt[0].message).toMatch(/alerts\.jsonl:2: not a JSON record/);
    again.ack();
    again.ack();
    expect(again.size).toBe(0);
    again.close();
  });

  it('ignores an ack offset that does not fit the file', () => {
    const s = Spool.open(tmp.dir, 10);
    s.append([sampleAlert(0)]);
    s.close();
    writeFileSync(join(tmp.dir, 'alerts.ack'), '999999');
    const again = Spool.open(tmp.dir, 10);
    expect(again.size).toBe(1);
    again.close();
  });
});
