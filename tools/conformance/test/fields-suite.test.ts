/**
 * The fields suite: which fields a rules file names, which differences count as known, and a run
 * against sysdig 0.29 on one corpus capture.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareCapture } from '../src/fields/compare';
import { knownDifference, type EventContext } from '../src/fields/known-differences';
import { rulesFields } from '../src/fields/rules-fields';

const CORPUS = resolve(__dirname, '../corpus');

function context(over: Partial<EventContext> = {}, ours: Record<string, string> = {}): EventContext {
  return { fdFromMissingEnter: false, noExecveEnters: false, staleIds: false, staleCwd: false, isThread: false, reparented: false, failedCreate: false, ours: (f) => ours[f], ...over };
}

describe('fields suite', () => {
  it('takes the fields a rules file names, arguments included, and drops words that are not fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fields-suite-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, [
      '- list: domains',
      '  items: [k8s.io, example.com]',
      '- rule: r',
      '  condition: proc.name = sh and fd.nameraw startswith /etc and evt.arg.flags contains O_CREAT',
      '  output: "%proc.aname[2] opened %fd.name (%user.name)"',
      '  priority: INFO',
      '  desc: d',
    ].join('\n'));
    expect(rulesFields([file])).toEqual(['proc.name', 'fd.nameraw', 'evt.arg.flags', 'proc.aname[2]', 'fd.name', 'user.name']);
  });

  it('counts a difference as known only when its kind and values fit', () => {
    expect(knownDifference('accept', 'evt.type', 'accept4', 'accept', context())).toBeDefined();
    expect(knownDifference('accept', 'evt.type', 'connect', 'accept', context())).toBeUndefined();
    // A close without its enter event: 0.29's descriptor is stale, ours comes from the exit.
    expect(knownDifference('close', 'fd.name', '/tmp/a', '/dev/null', context({ fdFromMissingEnter: true }))).toBeDefined();
    expect(knownDifference('close', 'fd.name', '/tmp/a', '/dev/null', context())).toBeUndefined();
    // A thread whose parent 0.29 took to be its own process: only that exact shift is known.
    const thread = context({ isThread: true }, { 'proc.name': 'node', 'proc.pname': 'bash' });
    expect(knownDifference('clone3', 'proc.pname', 'bash', 'node', thread)).toBeDefined();
    expect(knownDifference('clone3', 'proc.pname', 'bash', 'python3', thread)).toBeUndefined();
    expect(knownDifference('clone3', 'group.gid', '0', '8589934592', context())).toBeDefined();
    expect(knownDifference('clone3', 'group.gid', '0', '12', context())).toBeUndefined();
    expect(knownDifference('execve', 'evt.args', 'res=0 vpgid=7 loginuid=4294967295 uid=0', 'res=0 pgid=7 loginuid=-1 ', context())).toBeDefined();
    expect(knownDifference('execve', 'evt.args', 'res=0 vpgid=7 loginuid=4294967295', 'res=0 pgid=8 loginuid=-1 ', context())).toBeUndefined();
  });

  it('compares a corpus capture with sysdig, field by field', async () => {
    const c = await compareCapture(join(CORPUS, 'tcp4.scap.gz'), ['thread.tid', 'proc.name', 'fd.name', 'fd.sport']);
    expect(c.events).toBeGreaterThan(100);
    expect(c.missing).toBe(0);
    expect(c.fields.get('thread.tid')).toMatchObject({ differing: 0 });
    expect(c.fields.get('proc.name')!.compared).toBe(c.events);
    expect(c.fields.get('fd.sport')!.differing).toBe(0);
  }, 60_000);
});
