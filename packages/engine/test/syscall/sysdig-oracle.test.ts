/**
 * Field values on the conformance captures, compared with sysdig 0.29 (an independent libsinsp)
 * on every exit event. sysdig predates Falco 0.42's event conversion, so the comparison skips the
 * few places where 0.42 semantics knowingly differ (listed in KNOWN_DIFFERENCES, each with why).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventTypeName, readScapBuffer } from '@falco-ts/driver';
import { SyscallSource } from '../../src/syscall/source';

const CAPTURES = resolve(__dirname, '../../../../../shared/conformance/falco/captures');

const FIELDS = [
  'evt.type', 'evt.cpu', 'evt.res', 'evt.rawres', 'evt.failed', 'thread.tid',
  'proc.name', 'proc.pname', 'proc.exe', 'proc.args', 'proc.cmdline', 'proc.exepath', 'proc.cwd', 'proc.pid', 'proc.ppid', 'proc.vpid', 'proc.sid',
  'user.uid', 'user.name', 'group.gid',
  'fd.num', 'fd.name', 'fd.type', 'fd.typechar', 'fd.directory', 'fd.filename', 'fd.l4proto', 'fd.cip', 'fd.sip', 'fd.cport', 'fd.sport', 'fd.is_server', 'fd.lip', 'fd.rip', 'fd.lport', 'fd.rport',
];

/** Where Falco 0.42 knowingly differs from sysdig 0.29; `true` skips the comparison. */
const KNOWN_DIFFERENCES: Array<(type: string, field: string) => boolean> = [
  // libs 0.22 marks mmap/mmap2 exits as using a descriptor (the folded enter's fd); 0.29 does not.
  (type, field) => (type === 'mmap' || type === 'mmap2') && field.startsWith('fd.'),
  // libs 0.22 sets the transport protocol when the socket is created; 0.29 only once connected.
  (type, field) => type === 'socket' && field === 'fd.l4proto',
  // 0.29 leaves the role of a connect still in progress unset and guesses "server" for loopback
  // peers; libs 0.22 marks the connecting side as the client.
  (type, field) => type === 'connect' && field === 'fd.is_server',
];

function ours(file: string): Map<string, string[]> {
  const contents = readScapBuffer(new Uint8Array(readFileSync(file)));
  const src = new SyscallSource({ hostname: 'h' });
  src.seedFromCapture(contents.state);
  const defs = FIELDS.map((f) => {
    const d = src.fields.resolve(f, undefined);
    if (d === undefined || 'error' in d) throw new Error(`cannot resolve ${f}`);
    return { name: f, d };
  });
  const out = new Map<string, string[]>();
  for (const b of contents.batches) {
    src.forEach(b, (e) => {
      if (e.view.dir !== '<') return;
      const values = defs.map(({ name, d }) => {
        const v = d.extract(e, undefined);
        if (v === undefined) return '<NA>';
        return src.renderField(name, v) ?? String(v);
      });
      out.set(`${e.ts} ${e.view.tid} ${eventTypeName(e.view)}`, values);
    });
  }
  return out;
}

function sysdig(file: string): Map<string, string[]> {
  const format = `*%evt.rawtime %thread.tid %evt.type ${FIELDS.map((f) => `%${f}`).join(' ~~ ')}`;
  const text = execFileSync('sysdig', ['-r', file, '-p', format, 'evt.dir=<'], { encoding: 'latin1', maxBuffer: 1 << 28 });
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let sp = -1;
    for (let k = 0; k < 3; k++) sp = line.indexOf(' ', sp + 1);
    out.set(line.slice(0, sp), line.slice(sp + 1).split(' ~~ '));
  }
  return out;
}

const files = readdirSync(CAPTURES).filter((f) => f.endsWith('.scap'));

describe('field values against sysdig', () => {
  it('has captures to compare', () => expect(files.length).toBeGreaterThan(3));

  it.each(files)('%s', (name) => {
    const file = `${CAPTURES}/${name}`;
    const mine = ours(file);
    const theirs = sysdig(file);
    const differences: string[] = [];
    let compared = 0;
    for (const [key, values] of theirs) {
      const m = mine.get(key);
      if (m === undefined) {
        differences.push(`${key}: event not produced`);
        continue;
      }
      const type = key.split(' ')[2]!;
      FIELDS.forEach((f, i) => {
        if (KNOWN_DIFFERENCES.some((skip) => skip(type, f))) return;
        compared++;
        if (m[i] !== values[i]) differences.push(`${key} ${f}: ours=${JSON.stringify(m[i])} sysdig=${JSON.stringify(values[i])}`);
      });
    }
    expect(differences).toEqual([]);
    if (theirs.size > 0) expect(compared).toBeGreaterThan(0);
  });
});
