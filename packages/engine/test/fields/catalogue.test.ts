import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SYSCALL_FIELDS } from '../../src/fields/catalogue';
import { FieldCatalogue } from '../../src/fields/lookup';

const RULES_DIR = resolve(__dirname, '../../../../../shared/conformance/rules');
const FIELD_RE = /(?<![\w.%-])(?:evt|syscall|proc|thread|fd|fs\.path|user|group|container|k8s|fdlist)\.[A-Za-z0-9_.]*[A-Za-z0-9_](?:\[[^\]]*\])?/g;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    // skip_unknown_* files name a field that does not exist on purpose (skip-if-unknown-filter tests).
    else if (name.endsWith('.yaml') && !dir.includes('k8saudit') && !name.startsWith('skip_unknown')) out.push(p);
  }
  return out;
}

/** Field references in rule conditions and outputs and in macro conditions of a rules file. */
function fieldRefs(file: string): string[] {
  const refs: string[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const items: unknown = doc.toJS();
    if (!Array.isArray(items)) continue;
    for (const item of items as Array<Record<string, unknown>>) {
      if (item === null || typeof item !== 'object') continue;
      for (const key of ['condition', 'output']) {
        const text = item[key];
        if (typeof text !== 'string') continue;
        // Quoted values and list values can look like fields (k8s.gcr.io); only look outside them.
        const bare = text.replace(/"[^"]*"|'[^']*'/g, ' ').replace(/\b(in|intersects|pmatch)\s*\([^)]*\)/g, ' ');
        for (const m of bare.matchAll(FIELD_RE)) refs.push(m[0]);
      }
    }
  }
  return refs;
}

describe('syscall field catalogue', () => {
  const catalogue = new FieldCatalogue(SYSCALL_FIELDS);

  it('has unique names and a description for every field', () => {
    const names = SYSCALL_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of SYSCALL_FIELDS) expect(f.description.length).toBeGreaterThan(5);
  });

  it('gives the libsinsp types of the fields the filter suite type-checks', () => {
    const expected: Record<string, string> = {
      'evt.rawtime': 'abstime',
      'evt.is_io': 'bool',
      'evt.buffer': 'bytebuf',
      'fd.name': 'charbuf',
      'thread.cpu': 'double',
      'evt.cpu': 'int16',
      'fd.dev': 'int32',
      'proc.pid': 'int64',
      'fd.ip': 'ipaddr',
      'fd.net': 'ipnet',
      'fd.port': 'port',
      'proc.pid.ts': 'reltime',
      'evt.count': 'uint32',
      'evt.num': 'uint64',
    };
    for (const [name, type] of Object.entries(expected)) expect(catalogue.get(name)?.type).toBe(type);
  });

  it.each([
    ['proc.aname[2]', 'proc.aname', 2, undefined],
    ['proc.aname', 'proc.aname', undefined, undefined],
    ['proc.env[HOME]', 'proc.env', undefined, 'HOME'],
    ['proc.aenv[3]', 'proc.aenv', 3, undefined],
    ['proc.aenv[PATH]', 'proc.aenv', undefined, 'PATH'],
    ['evt.arg.fd', 'evt.arg', undefined, 'fd'],
    ['evt.arg[0]', 'evt.arg', 0, undefined],
    ['evt.rawarg.res', 'evt.rawarg', undefined, 'res'],
    ['evt.type.is.open', 'evt.type.is', undefined, 'open'],
    ['evt.abspath.dst', 'evt.abspath', undefined, 'dst'],
    ['thread.cgroup.cpuacct', 'thread.cgroup', undefined, 'cpuacct'],
    ['container.mount.dest[/var/run/docker.sock]', 'container.mount.dest', undefined, '/var/run/docker.sock'],
    ['container.mount[0]', 'container.mount', 0, undefined],
    ['container.label.app', 'container.label', undefined, 'app'],
    ['k8s.pod.label[app.kubernetes.io/name]', 'k8s.pod.label', undefined, 'app.kubernetes.io/name'],
    ['fd.types[1]', 'fd.types', 1, undefined],
    ['evt.args', 'evt.args', undefined, undefined],
    ['thread.cgroups', 'thread.cgroups', undefined, undefined],
    ['container.mounts', 'container.mounts', undefined, undefined],
  ])('resolves %s', (text, field, index, key) => {
    const m = /^([^[]+)(?:\[(.*)\])?$/.exec(text)!;
    const r = catalogue.lookup(m[1]!, m[2]);
    if (!r.ok) throw new Error(r.message);
    expect(r.ref.info.name).toBe(field);
    expect(r.ref.index).toBe(index);
    expect(r.ref.key).toBe(key);
  });

  it.each([
    ['proc.nme', undefined, 'unknown'],
    ['proc.name', '1', 'bad-argument'],
    ['evt.arg', undefined, 'bad-argument'],
    ['proc.aname', 'bash', 'bad-argument'],
    ['evt.type.is', 'open', 'bad-argument'],
    ['evt.arg.fd', '0', 'bad-argument'],
    ['container.label', undefined, 'bad-argument'],
  ])('rejects %s[%s]', (name, arg, reason) => {
    const r = catalogue.lookup(name, arg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('knows every field that the upstream rules files and test rules use', () => {
    const files = [...yamlFiles(RULES_DIR), ...yamlFiles(resolve(RULES_DIR, '../falco/rules'))];
    expect(files.length).toBeGreaterThan(10);
    const unknown = new Set<string>();
    for (const file of files) {
      for (const ref of fieldRefs(file)) {
        const m = /^([^[]+)(?:\[(.*)\])?$/.exec(ref)!;
        const r = catalogue.lookup(m[1]!, m[2]);
        if (!r.ok) unknown.add(`${ref}: ${r.message}`);
      }
    }
    expect([...unknown].sort()).toEqual([]);
  });
});
