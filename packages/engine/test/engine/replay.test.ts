/**
 * End to end on a real capture: the conformance `cat_write.scap` replayed through the driver's
 * reader, the real syscall source and the engine. Falco 0.42 delivers both halves of open(), so a
 * rule on `evt.type = open` fires 8 times for the 4 open() calls of `cat` (upstream expectation of
 * the `falco` suite's MultipleRules cases).
 */
import { join } from 'node:path';
import { openScap } from '@falco-ts/driver';
import { Engine } from '../../src/engine';
import { SyscallSource } from '../../src/syscall/source';
import type { SyscallEvent } from '../../src/fields/event';
import { formatJson, type Alert } from '@falco-ts/alert';

const CAPTURE = join(__dirname, '../../../../../shared/conformance/falco/captures/cat_write.scap');

const RULES = `
- list: cat_binaries
  items: [cat]
- macro: is_cat
  condition: proc.name in (cat_binaries)
- rule: open_from_cat
  desc: A process named cat does an open
  condition: evt.type = open and is_cat
  output: "An open was seen (command=%proc.cmdline file=%fd.name)"
  priority: WARNING
  tags: [filesystem]
- rule: exec_from_cat
  desc: cat was executed
  condition: evt.type = execve and proc.name = cat
  output: "cat executed (pid=%proc.pid)"
  priority: ERROR
`;

async function replay(matching: 'first' | 'all'): Promise<Alert[]> {
  const source = new SyscallSource({ hostname: 'test-host' });
  const engine = new Engine([source as never]);
  const result = engine.loadRules(RULES, 'rules.yaml');
  expect(result.errors).toEqual([]);
  const reader = await openScap(CAPTURE, { file: CAPTURE });
  source.seedFromCapture(reader.state);
  const alerts: Alert[] = [];
  try {
    for await (const batch of reader.batches()) {
      source.forEach(batch, (ev: SyscallEvent) => {
        for (const rule of engine.processEvent('syscall', ev, { matching })) alerts.push(engine.alert(rule, ev, 'test-host'));
      });
    }
  } finally {
    reader.close();
  }
  return alerts;
}

describe('replaying cat_write.scap', () => {
  it('fires open_from_cat for both halves of each open() and exec_from_cat once', async () => {
    const alerts = await replay('first');
    const count = (rule: string): number => alerts.filter((a) => a.rule === rule).length;
    expect(count('open_from_cat')).toBe(8);
    expect(count('exec_from_cat')).toBe(1);
  });

  it('renders Falco alerts with typed output fields', async () => {
    const alerts = await replay('first');
    const open = alerts.find((a) => a.rule === 'open_from_cat' && a.outputFields['fd.name'] === '/dev/null');
    expect(open).toBeDefined();
    const json = JSON.parse(formatJson(open!, { utcOffsetMinutes: 0 })) as Record<string, unknown>;
    expect(json).toMatchObject({
      hostname: 'test-host',
      priority: 'Warning',
      rule: 'open_from_cat',
      source: 'syscall',
      tags: ['filesystem'],
      output_fields: { 'fd.name': '/dev/null', 'proc.cmdline': 'cat /dev/null' },
    });
    expect(json['time']).toMatch(/^2016-08-04T16:17:57\.\d{9}Z$/);
    expect(json['output']).toMatch(/^16:17:57\.\d{9}: Warning An open was seen \(command=cat \/dev\/null file=\/dev\/null\)$/);
  });
});
