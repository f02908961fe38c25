import { compileCondition } from '@falco-ts/filter-lang';
import { SYSCALL_FIELDS } from '../../src/fields/catalogue';
import type { SyscallEvent } from '../../src/fields/event';
import { SyscallFieldRegistry } from '../../src/fields/registry';
import { FdKind } from '../../src/syscall/fd-types';
import { SyscallSource } from '../../src/syscall/source';
import { batchOf, type EventInput } from '../syscall/events';

const ID = '3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e';

function source(): SyscallSource {
  const s = new SyscallSource({ hostname: 'testhost' });
  s.seed({
    threads: [
      { tid: 1, pid: 1, ptid: 0, sid: 1, comm: 'systemd', exe: '/sbin/init', args: [], cwd: '/', uid: 0, gid: 0 },
      { tid: 50, pid: 50, ptid: 1, sid: 50, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'], cwd: '/', uid: 0, gid: 0 },
      {
        tid: 100, pid: 100, ptid: 50, sid: 100, vpgid: 100, comm: 'bash', exe: '-bash', exepath: '/usr/bin/bash', args: [],
        env: ['HOME=/root', 'TERM=xterm'], cwd: '/root', uid: 0, gid: 0, loginuid: 1000, tty: 34816,
        capEffective: (1n << 0n) | (1n << 21n),
        fds: [
          { fd: 0, kind: FdKind.File, name: '/dev/pts/0' },
          { fd: 3, kind: FdKind.Ipv4, sip: '10.0.0.1', sport: 40000, dip: '10.0.0.2', dport: 443, l4proto: 6 },
        ],
      },
      { tid: 300, pid: 300, ptid: 1, comm: 'nginx', exe: 'nginx', args: [], cwd: '/', uid: 33, gid: 33, cgroups: [`cpuset=/docker/${ID}`] },
    ],
    users: [
      { containerId: '', user: { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' } },
      { containerId: '', user: { uid: 1000, gid: 1000, name: 'alice', homedir: '/home/alice', shell: '/bin/zsh' } },
    ],
    groups: [{ containerId: '', group: { gid: 0, name: 'root' } }],
  });
  return s;
}

/** Runs the events and returns the last one's values of the given fields. */
function fieldsAfter(s: SyscallSource, events: EventInput[], names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const registry = s.fields;
  s.forEach(batchOf(events), (e) => {
    for (const n of names) {
      const m = /^([^[]+)(?:\[(.*)\])?$/.exec(n)!;
      const def = registry.resolve(m[1]!, m[2]);
      if (def === undefined || 'error' in def) throw new Error(`cannot resolve ${n}`);
      const v = def.extract(e, m[2]);
      out[n] = v instanceof Uint8Array ? (s.renderField(m[1]!, v) ?? v) : v;
    }
  });
  return out;
}

describe('syscall field extraction', () => {
  it('has an extractor for every catalogued field', () => {
    const r = new SyscallFieldRegistry();
    for (const f of SYSCALL_FIELDS) {
      const arg = f.arg.rule === 'required' ? (f.arg.index ? '0' : f.name === 'evt.rawarg' ? undefined : 'x') : undefined;
      const name = f.name === 'evt.rawarg' ? 'evt.rawarg.res' : f.arg.rule === 'required' && !f.arg.bracket ? `${f.name}.${f.name === 'evt.type.is' ? 'open' : 'src'}` : f.name;
      const def = r.resolve(name, f.arg.bracket ? arg : undefined);
      expect(def).toBeDefined();
      expect(def !== undefined && 'error' in def ? def.error : '').toBe('');
    }
  });

  it('reads process, user and session fields', () => {
    const s = source();
    const v = fieldsAfter(
      s,
      [{ name: 'openat', tid: 100, params: { fd: 4, dirfd: -100, name: 'x/../notes.txt', flags: 3 | 4, mode: 0o644 } }],
      ['proc.name', 'proc.pname', 'proc.aname[2]', 'proc.aname[3]', 'proc.cmdline', 'proc.exepath', 'proc.env[HOME]', 'proc.env',
        'proc.pid', 'proc.ppid', 'proc.sname', 'proc.tty', 'user.name', 'user.uid', 'user.loginuid', 'user.loginname', 'group.name',
        'thread.cap_effective', 'proc.loginshellid', 'container.id', 'container.name', 'evt.hostname', 'proc.is_vpgid_leader'],
    );
    expect(v).toEqual({
      'proc.name': 'bash', 'proc.pname': 'sshd', 'proc.aname[2]': 'systemd', 'proc.aname[3]': undefined, 'proc.cmdline': 'bash',
      'proc.exepath': '/usr/bin/bash', 'proc.env[HOME]': '/root', 'proc.env': 'HOME=/root TERM=xterm', 'proc.pid': 100, 'proc.ppid': 50,
      'proc.sname': 'bash', 'proc.tty': 34816, 'user.name': 'root', 'user.uid': 0, 'user.loginuid': 1000, 'user.loginname': 'alice',
      'group.name': 'root', 'thread.cap_effective': 'CAP_CHOWN CAP_SYS_ADMIN', 'proc.loginshellid': 100, 'container.id': 'host',
      'container.name': 'host', 'evt.hostname': 'testhost', 'proc.is_vpgid_leader': true,
    });
  });

  it('reads fd and event fields of an open', () => {
    const s = source();
    const v = fieldsAfter(
      s,
      [{ name: 'openat', tid: 100, params: { fd: 4, dirfd: -100, name: 'x/../notes.txt', flags: 2 | 4 | 16384, mode: 0o755 } }],
      ['fd.num', 'fd.name', 'fd.directory', 'fd.filename', 'fd.type', 'fd.typechar', 'fd.nameraw', 'evt.type', 'evt.dir', 'evt.res',
        'evt.rawres', 'evt.failed', 'evt.is_open_read', 'evt.is_open_write', 'evt.is_open_exec', 'evt.is_open_create', 'evt.arg.flags',
        'evt.arg[1]', 'evt.arg.fd', 'fs.path.name', 'fs.path.nameraw', 'evt.category', 'evt.num', 'evt.source'],
    );
    expect(v).toEqual({
      'fd.num': 4, 'fd.name': '/root/notes.txt', 'fd.directory': '/root', 'fd.filename': 'notes.txt', 'fd.type': 'file', 'fd.typechar': 'f',
      'fd.nameraw': 'x/../notes.txt', 'evt.type': 'openat', 'evt.dir': '<', 'evt.res': 'SUCCESS', 'evt.rawres': 4, 'evt.failed': false,
      'evt.is_open_read': false, 'evt.is_open_write': true, 'evt.is_open_exec': true, 'evt.is_open_create': true,
      'evt.arg.flags': 'O_CREAT|O_WRONLY|O_F_CREATED', 'evt.arg[1]': 'AT_FDCWD', 'evt.arg.fd': '<f>/root/notes.txt',
      'fs.path.name': '/root/notes.txt', 'fs.path.nameraw': 'x/../notes.txt', 'evt.category': 'file', 'evt.num': 1, 'evt.source': 'syscall',
    });
  });

  it('names the path of a failed open and reports the error', () => {
    const s = source();
    const v = fieldsAfter(s, [{ name: 'openat', tid: 100, params: { fd: -2, dirfd: -100, name: '/etc/shadow', flags: 1 } }], ['fd.name', 'evt.res', 'evt.failed', 'fd.num']);
    // libsinsp's open parser names a descriptor only when one was created (parsers.cpp,
    // parse_open_openat_creat_exit): a failed open has none.
    expect(v).toEqual({ 'fd.name': '/etc/shadow', 'evt.res': 'ENOENT', 'evt.failed': true, 'fd.num': -1 });
  });

  it('reads socket fields from the descriptor the event uses', () => {
    const s = source();
    const v = fieldsAfter(
      s,
      [{ name: 'write', tid: 100, params: { res: 5, data: 'hello', fd: 3, size: 5 } }],
      ['fd.name', 'fd.cip', 'fd.sip', 'fd.lip', 'fd.rip', 'fd.cport', 'fd.sport', 'fd.l4proto', 'fd.sockfamily', 'fd.is_server', 'fd.typechar',
        'evt.is_io_write', 'evt.buflen', 'evt.category'],
    );
    expect(v).toEqual({
      'fd.name': '10.0.0.1:40000->10.0.0.2:443', 'fd.cip': '10.0.0.1', 'fd.sip': '10.0.0.2', 'fd.lip': '10.0.0.1', 'fd.rip': '10.0.0.2',
      'fd.cport': 40000, 'fd.sport': 443, 'fd.l4proto': 'tcp', 'fd.sockfamily': 'ip', 'fd.is_server': false, 'fd.typechar': '4',
      'evt.is_io_write': true, 'evt.buflen': 5, 'evt.category': 'net',
    });
  });

  it('finds the container from cgroups', () => {
    const s = source();
    s.setMetadataProvider({
      lookup: (id) => (id === ID.slice(0, 12) ? { id, name: 'web', image: 'nginx:1.25', imageRepository: 'nginx', imageTag: '1.25', privileged: false } : undefined),
    });
    const v = fieldsAfter(s, [{ name: 'close', tid: 300, params: { res: 0, fd: 9 } }], ['container.id', 'container.name', 'container.image.repository', 'container.privileged', 'container.type', 'user.name']);
    expect(v).toEqual({ 'container.id': '3ad7b26ded6d', 'container.name': 'web', 'container.image.repository': 'nginx', 'container.privileged': false, 'container.type': 'docker', 'user.name': undefined });
  });

  it('reads the pod, its namespace, controllers and services as k8s.* and k8smeta.* fields', () => {
    const s = source();
    const web = { name: 'web', uid: 'svc-1', labels: { app: 'web', exposure: 'public' } };
    const internal = { name: 'web-internal', uid: 'svc-2', labels: { app: 'web' } };
    s.setMetadataProvider({
      lookup: (id) =>
        id === ID.slice(0, 12)
          ? {
              id,
              k8s: {
                podName: 'web-7d9c6b5f4-x2k8p', namespace: 'shop', podUid: 'pod-1', podLabels: { app: 'web', tier: 'frontend' }, podIp: '10.1.2.3',
                namespaceInfo: { name: 'shop', uid: 'ns-1', labels: { team: 'payments' } },
                deployment: { name: 'web', uid: 'dep-1', labels: { app: 'web', owner: 'storefront' } },
                replicaSet: { name: 'web-7d9c6b5f4', uid: 'rs-1', labels: { app: 'web' } },
                services: [web, internal],
              },
            }
          : undefined,
    });
    const names = [
      'k8s.deployment.name', 'k8s.deployment.id', 'k8s.deployment.label[owner]', 'k8s.deployment.labels', 'k8s.rs.name', 'k8s.rs.id',
      'k8s.rc.name', 'k8s.svc.name', 'k8s.svc.id', 'k8s.svc.label[exposure]', 'k8s.svc.labels', 'k8s.ns.id', 'k8s.ns.label[team]', 'k8s.ns.labels',
      'k8smeta.pod.name', 'k8smeta.pod.uid', 'k8smeta.pod.label[tier]', 'k8smeta.pod.labels', 'k8smeta.pod.ip', 'k8smeta.ns.name', 'k8smeta.ns.uid',
      'k8smeta.ns.labels', 'k8smeta.deployment.uid', 'k8smeta.deployment.label[owner]', 'k8smeta.rs.labels', 'k8smeta.rc.uid',
      'k8smeta.svc.name', 'k8smeta.svc.uid', 'k8smeta.svc.label[exposure]', 'k8smeta.svc.labels',
    ];
    expect(fieldsAfter(s, [{ name: 'close', tid: 300, params: { res: 0, fd: 9 } }], names)).toEqual({
      'k8s.deployment.name': 'web', 'k8s.deployment.id': 'dep-1', 'k8s.deployment.label[owner]': 'storefront', 'k8s.deployment.labels': 'app:web,owner:storefront',
      'k8s.rs.name': 'web-7d9c6b5f4', 'k8s.rs.id': 'rs-1', 'k8s.rc.name': undefined,
      'k8s.svc.name': 'web, web-internal', 'k8s.svc.id': 'svc-1, svc-2', 'k8s.svc.label[exposure]': 'public', 'k8s.svc.labels': 'app:web,exposure:public,app:web',
      'k8s.ns.id': 'ns-1', 'k8s.ns.label[team]': 'payments', 'k8s.ns.labels': 'team:payments',
      'k8smeta.pod.name': 'web-7d9c6b5f4-x2k8p', 'k8smeta.pod.uid': 'pod-1', 'k8smeta.pod.label[tier]': 'frontend', 'k8smeta.pod.labels': ['app:web', 'tier:frontend'],
      'k8smeta.pod.ip': '10.1.2.3', 'k8smeta.ns.name': 'shop', 'k8smeta.ns.uid': 'ns-1', 'k8smeta.ns.labels': ['team:payments'],
      'k8smeta.deployment.uid': 'dep-1', 'k8smeta.deployment.label[owner]': 'storefront', 'k8smeta.rs.labels': ['app:web'], 'k8smeta.rc.uid': undefined,
      'k8smeta.svc.name': ['web', 'web-internal'], 'k8smeta.svc.uid': ['svc-1', 'svc-2'], 'k8smeta.svc.label[exposure]': ['public'],
      'k8smeta.svc.labels': ['app:web', 'exposure:public', 'app:web'],
    });
  });

  it('reads the Mesos task, framework and Marathon app and group as mesos.* and marathon.* fields', () => {
    const s = source();
    s.setMetadataProvider({
      lookup: (id) =>
        id === ID.slice(0, 12)
          ? {
              id,
              mesos: {
                taskId: 'shop_web.1a2b', taskName: 'web', taskLabels: { tier: 'frontend' }, frameworkId: 'fw-1', frameworkName: 'marathon',
                appId: '/shop/web', appName: 'web', appLabels: { owner: 'storefront', tier: 'frontend' }, groupId: '/shop',
              },
            }
          : undefined,
    });
    const names = [
      'mesos.task.name', 'mesos.task.id', 'mesos.task.label[tier]', 'mesos.task.labels', 'mesos.framework.name', 'mesos.framework.id',
      'marathon.app.name', 'marathon.app.id', 'marathon.app.label[owner]', 'marathon.app.labels', 'marathon.group.name', 'marathon.group.id',
    ];
    expect(fieldsAfter(s, [{ name: 'close', tid: 300, params: { res: 0, fd: 9 } }], names)).toEqual({
      'mesos.task.name': 'web', 'mesos.task.id': 'shop_web.1a2b', 'mesos.task.label[tier]': 'frontend', 'mesos.task.labels': 'tier:frontend',
      'mesos.framework.name': 'marathon', 'mesos.framework.id': 'fw-1', 'marathon.app.name': 'web', 'marathon.app.id': '/shop/web',
      'marathon.app.label[owner]': 'storefront', 'marathon.app.labels': 'owner:storefront,tier:frontend', 'marathon.group.name': '/shop',
      'marathon.group.id': '/shop',
    });
  });

  it('compiles and evaluates real conditions, including any-ancestor and any-address checks', () => {
    const s = source();
    const reg = s.fields;
    const cond = (text: string): ((e: SyscallEvent) => boolean) => compileCondition(text, reg).predicate;
    const checks = {
      a: cond('evt.type = write and proc.name = bash and fd.sport = 443'),
      b: cond('proc.aname = sshd and proc.aname[2] = systemd'),
      c: cond('proc.aname in (nginx, docker)'),
      d: cond('fd.ip = 10.0.0.2 and fd.net = 10.0.0.0/8 and fd.port = 40000'),
      e: cond('fd.cnet = 192.168.0.0/16'),
      f: cond('evt.rawarg.res > 4 and evt.rawres = 5 and evt.buffer contains hell'),
      g: cond('fd.ip == anyof (10.0.0.9, 10.0.0.2) and fd.net == anyof (10.0.0.0/8)'),
    };
    const results: Record<string, boolean> = {};
    s.forEach(batchOf([{ name: 'write', tid: 100, params: { res: 5, data: 'hello', fd: 3, size: 5 } }]), (e) => {
      for (const [k, p] of Object.entries(checks)) results[k] = p(e);
    });
    expect(results).toEqual({ a: true, b: true, c: false, d: true, e: false, f: true, g: true });
  });

  it('holds fd.ip, fd.net and fd.port != only when both ends differ, ancestor != when any differs', () => {
    // The socket is 10.0.0.1:40000 -> 10.0.0.2:443; libsinsp ANDs the two ends for !=.
    const s = source();
    const cond = (text: string): ((e: SyscallEvent) => boolean) => compileCondition(text, s.fields).predicate;
    const checks = {
      netOneEnd: cond('fd.net != 10.0.0.2/32'),
      netNeither: cond('fd.net != 192.168.0.0/16'),
      ipOneEnd: cond('fd.ip != 10.0.0.1'),
      ipNeither: cond('fd.ip != 10.9.9.9'),
      portOneEnd: cond('fd.port != 443'),
      portNeither: cond('fd.port != 80'),
      portLess: cond('fd.port < 1024'),
      ancestorAny: cond('proc.aname != sshd'),
    };
    const results: Record<string, boolean> = {};
    s.forEach(batchOf([{ name: 'write', tid: 100, params: { res: 5, data: 'hello', fd: 3, size: 5 } }]), (e) => {
      for (const [k, p] of Object.entries(checks)) results[k] = p(e);
    });
    expect(results).toEqual({
      netOneEnd: false, netNeither: true, ipOneEnd: false, ipNeither: true, portOneEnd: false, portNeither: true, portLess: true, ancestorAny: true,
    });
  });

  it('reports argument problems as errors and unknown fields as unknown', () => {
    const r = new SyscallFieldRegistry();
    expect(r.resolve('proc.nothing', undefined)).toBeUndefined();
    expect(r.resolve('evt.rawarg.nosuchparam', undefined)).toEqual({ error: 'unknown event argument nosuchparam' });
    expect(r.resolve('proc.aname', 'x')).toHaveProperty('error');
    expect(r.get('evt.rawarg.res')?.type).toBe('errno');
  });
});

describe('per-event memoisation', () => {
  it('keeps two sources that share the registry apart when their event numbers coincide', () => {
    // Both sources use the shared default registry; their first events are both evt.num 1.
    const a = source();
    const b = source();
    const event: EventInput[] = [{ name: 'close', tid: 100, params: { res: 0, fd: 9 } }];
    const other: EventInput[] = [{ name: 'close', tid: 50, params: { res: 0, fd: 9 } }];
    expect(fieldsAfter(a, event, ['proc.cmdline'])['proc.cmdline']).toBe('bash');
    expect(fieldsAfter(b, other, ['proc.cmdline'])['proc.cmdline']).toBe('sshd -D');
  });
});
