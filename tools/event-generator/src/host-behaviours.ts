/**
 * Behaviours performed on this host. Each is harmless: files it creates are removed again, network
 * traffic goes to the loopback interface or to a documentation address (192.0.2.0/24, RFC 5737)
 * over UDP, where `connect` sends nothing, and nothing is loaded into the kernel.
 */
import { createServer, type AddressInfo } from 'node:net';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Behaviour, GeneratorContext } from './behaviour';
import { mustExec, shell } from './exec';

/** A name unique to this run, so parallel runs never touch each other's files. */
function tag(): string {
  return `falco-eg-${process.pid}-${Date.now().toString(36)}`;
}

/**
 * Runs a short Node script under another process name: a symlink to the Node binary named like the
 * program we pretend to be, because the kernel takes a process's name from the executed path.
 */
async function runNodeAs(ctx: GeneratorContext, behaviour: string, name: string, script: string, wrapper: readonly string[] = []): Promise<void> {
  const dir = path.join(ctx.workDir, `as-${name}`);
  await fs.mkdir(dir, { recursive: true });
  const link = path.join(dir, name);
  await fs.rm(link, { force: true });
  await fs.symlink(process.execPath, link);
  const [file, ...args] = [...wrapper, link, '-e', script];
  await mustExec(behaviour, file!, args);
}

const UDP_CONNECT = (host: string, port: number): string =>
  `const s=require('dgram').createSocket('udp4');s.connect(${port},'${host}',()=>s.close());`;

/** A UDP connect that must fail (run in a new network namespace: no interface is up, no route). */
const UDP_CONNECT_FAILS = (host: string, port: number): string =>
  `const s=require('dgram').createSocket('udp4');s.connect(${port},'${host}',(e)=>process.exit(e&&e.code==='ENETUNREACH'?0:1));`;

export const HOST_BEHAVIOURS: readonly Behaviour[] = [
  {
    name: 'read-sensitive-file',
    rule: 'Read sensitive file untrusted',
    place: 'host',
    description: 'head reads one byte of /etc/shadow',
    expect: { 'proc.name': 'head', 'fd.name': '/etc/shadow', 'user.name': 'root' },
    alerts: 1,
    perform: async () => void (await shell('read-sensitive-file', 'head -c1 /etc/shadow >/dev/null')),
  },
  {
    name: 'write-below-dev',
    rule: 'Create files below dev',
    place: 'host',
    description: 'touch creates a regular file in /dev, then removes it; a shell opens /dev/null, /dev/zero, /dev/urandom and /dev/full for writing (no alert)',
    expect: { 'proc.name': 'touch' },
    alerts: 1,
    perform: async (): Promise<void> => {
      const f = `/dev/${tag()}`;
      await shell('write-below-dev', 'echo x >/dev/null; echo x >/dev/zero; echo x >/dev/urandom; : >/dev/full');
      await shell('write-below-dev', `touch ${f} && rm -f ${f}`);
    },
  },
  {
    name: 'write-below-etc',
    rule: 'Write below etc',
    place: 'host',
    description: 'touch creates a file in /etc, then removes it',
    expect: { 'proc.name': 'touch' },
    alerts: 1,
    perform: async (): Promise<void> => {
      const f = `/etc/${tag()}`;
      await shell('write-below-etc', `touch ${f} && rm -f ${f}`);
    },
  },
  {
    name: 'write-below-binary-dir',
    rule: 'Write below binary dir',
    place: 'host',
    description: 'touch creates a file in /usr/local/bin, then removes it',
    expect: { 'proc.name': 'touch' },
    alerts: 1,
    perform: async (): Promise<void> => {
      const f = `/usr/local/bin/${tag()}`;
      await shell('write-below-binary-dir', `touch ${f} && rm -f ${f}`);
    },
  },
  {
    name: 'write-below-root-home',
    rule: 'Write below root home',
    place: 'host',
    description: "touch creates a file in root's home, then removes it",
    expect: { 'proc.name': 'touch' },
    alerts: 1,
    perform: async (): Promise<void> => {
      const f = `/root/.${tag()}`;
      await shell('write-below-root-home', `touch ${f} && rm -f ${f}`);
    },
  },
  {
    name: 'clear-log',
    rule: 'Clear log activities',
    place: 'host',
    description: 'cp truncates a log file it created under /var/log, then removes it',
    expect: { 'proc.name': 'cp' },
    alerts: 1,
    perform: async (): Promise<void> => {
      const f = `/var/log/${tag()}.log`;
      await fs.mkdir('/var/log', { recursive: true });
      // created without O_TRUNC (fs.writeFile's 'w' and 'wx' both truncate), so that only cp's
      // truncation is a log being cleared
      const log = await fs.open(f, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL);
      await log.write('entry\n');
      await log.close();
      await shell('clear-log', `cp /dev/null ${f}`);
      await fs.rm(f, { force: true });
    },
  },
  {
    name: 'symlink-sensitive-file',
    rule: 'Symlink over sensitive files',
    place: 'host',
    description: 'ln makes a symlink to /etc/shadow in the scratch directory',
    expect: { 'proc.name': 'ln' },
    alerts: 1,
    perform: async (ctx) => void (await shell('symlink-sensitive-file', `ln -s /etc/shadow ${ctx.workDir}/${tag()}`)),
  },
  {
    name: 'drop-and-execute',
    rule: 'Drop and execute from tmp',
    place: 'host',
    description: 'copies /bin/true into /tmp and runs the copy from a shell',
    expect: { 'proc.name': 'dropped' },
    alerts: 1,
    perform: async (ctx: GeneratorContext): Promise<void> => {
      const f = path.join(ctx.workDir, 'dropped');
      await fs.copyFile('/bin/true', f);
      await fs.chmod(f, 0o755);
      await shell('drop-and-execute', f);
    },
  },
  {
    name: 'credential-search',
    rule: 'Search for credentials',
    place: 'host',
    description: 'grep searches the scratch directory for id_rsa',
    expect: { 'proc.name': 'grep' },
    alerts: 1,
    perform: async (ctx) => void (await shell('credential-search', `grep -r id_rsa ${ctx.workDir} >/dev/null || true`)),
  },
  {
    name: 'packet-socket',
    rule: 'Packet socket created',
    place: 'host',
    description: 'python3 opens (and closes) an AF_PACKET socket, capturing nothing',
    expect: {},
    alerts: 1,
    perform: async () =>
      void (await mustExec('packet-socket', 'python3', ['-c', 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()'])),
  },
  {
    name: 'fileless-execution',
    rule: 'Fileless execution via memfd',
    place: 'host',
    description: 'python3 copies /bin/true into a memfd and executes it',
    expect: {},
    alerts: 1,
    perform: async () =>
      void (await mustExec('fileless-execution', 'python3', [
        '-c',
        "import os; fd=os.memfd_create('eg', 0); os.write(fd, open('/bin/true','rb').read()); os.execv('/proc/self/fd/%d' % fd, ['eg'])",
      ])),
  },
  {
    name: 'ptrace-attach',
    rule: 'Ptrace attached to process',
    place: 'host',
    description: 'python3 attaches to its own sleeping child with PTRACE_ATTACH, then detaches and kills it',
    expect: {},
    alerts: 1,
    perform: async () =>
      void (await mustExec('ptrace-attach', 'python3', [
        '-c',
        [
          'import ctypes, os, signal, subprocess, time',
          'libc = ctypes.CDLL(None, use_errno=True)',
          "c = subprocess.Popen(['sleep', '5'])",
          'time.sleep(0.05)',
          'assert libc.ptrace(16, c.pid, 0, 0) == 0, ctypes.get_errno()',
          'os.waitpid(c.pid, 0)',
          'libc.ptrace(17, c.pid, 0, 0)',
          'c.kill(); c.wait()',
        ].join('\n'),
      ])),
  },
  {
    name: 'system-binary-outbound',
    rule: 'System binary outbound connection',
    place: 'host',
    description:
      'a program named "sleep" connects a UDP socket to 192.0.2.1:53 (nothing is sent), after a connect that fails in a network namespace with no route (no alert)',
    expect: { 'proc.name': 'sleep' },
    alerts: 1,
    perform: async (ctx: GeneratorContext): Promise<void> => {
      await runNodeAs(ctx, 'system-binary-outbound', 'sleep', UDP_CONNECT_FAILS('192.0.2.1', 53), ['unshare', '--net']);
      await runNodeAs(ctx, 'system-binary-outbound', 'sleep', UDP_CONNECT('192.0.2.1', 53));
    },
  },
  {
    name: 'miner-pool-connection',
    rule: 'Crypto miner pool connection',
    place: 'host',
    description: 'connects a UDP socket to 192.0.2.2:3333, a stratum port (nothing is sent)',
    expect: { 'proc.name': 'xmrig' },
    alerts: 1,
    perform: (ctx) => runNodeAs(ctx, 'miner-pool-connection', 'xmrig', UDP_CONNECT('192.0.2.2', 3333)),
  },
  {
    name: 'server-spawns-shell',
    rule: 'Server process spawned unexpected child',
    place: 'host',
    description: 'a program named "nginx" starts a shell',
    expect: { 'proc.pname': 'nginx', 'proc.name': 'sh' },
    alerts: 1,
    perform: (ctx) =>
      runNodeAs(ctx, 'server-spawns-shell', 'nginx', "require('child_process').execFileSync('/bin/sh', ['-c', 'true; exit 0'])"),
  },
  {
    name: 'reverse-shell',
    rule: 'Reverse shell',
    place: 'host',
    description: 'bash connects to a loopback listener of this process and moves its stdin/stdout onto the socket',
    expect: { 'proc.name': 'bash' },
    // one alert for each of stdin and stdout moved onto the socket
    alerts: 2,
    perform: async (): Promise<void> => {
      const server = createServer((s) => s.resume());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      try {
        await mustExec('reverse-shell', 'bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}; exec 0<&3 1>&3; echo connected`]);
      } finally {
        server.close();
      }
    },
  },
];
