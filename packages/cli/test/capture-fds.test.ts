/**
 * Captures written live (`scap capture`, and the command's capture on demand) start with the open
 * descriptors of the processes already running, in FDL blocks: sysdig (the oracle) and a replay
 * here both name the file behind a descriptor that was opened before the capture began.
 */
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FD_TYPE, readScapBuffer, runCapture } from '@falco-ts/driver';
import { procThreads } from '../src/detector/capture';
import { falco, withLiveLock } from './helpers';

const canRun = process.getuid?.() === 0;
const maybe = canRun ? it : it.skip;

describe('the descriptor table of a live capture', () => {
  it('the on-demand capture process table carries the open files of running processes, with scap open flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'falco-fdl-'));
    const path = join(dir, 'held-open.log');
    const fd = openSync(path, 'a');
    try {
      const me = procThreads().find((t) => t.tid === process.pid);
      const entry = me?.fds.find((f) => f.fd === fd);
      expect(entry).toMatchObject({ type: FD_TYPE.FILE_V2, name: path });
      // The kernel keeps O_WRONLY|O_APPEND|O_CLOEXEC of Node's 'a' (O_CREAT is not a file status
      // flag), and O_LARGEFILE, which a 64-bit kernel sets on every open; as PPM_O_* flags: WRONLY 2,
      // APPEND 8, LARGEFILE 2048, CLOEXEC 4096.
      expect(entry!.openFlags).toBe(2 | 8 | 2048 | 4096);
      // Threads other than the main one share its table and carry none of their own.
      expect(procThreads().filter((t) => t.pid === process.pid && t.tid !== process.pid).every((t) => t.fds.length === 0)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  maybe(
    'scap capture writes FDL blocks that sysdig reads and a replay resolves fd.name from [privileged]',
    async () => {
      await withLiveLock(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'falco-fdl-live-'));
        const file = join(dir, 'pre-existing.txt');
        const capture = join(dir, 'trace.scap');
        // Opens the file, says which fd it got, and touches it (fchmod) only when told to, once
        // the capture has written its process table.
        const holder = spawn(
          process.execPath,
          ['-e', `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(file)},'w');console.log(fd);process.stdin.once('data',()=>{fs.fchmodSync(fd,0o600);fs.closeSync(fd);process.exit(0)})`],
          { stdio: ['pipe', 'pipe', 'inherit'] },
        );
        const exited = new Promise((r) => holder.on('exit', r));
        const fdNum = Number(await new Promise<string>((resolve) => holder.stdout.once('data', (b: Buffer) => resolve(b.toString().trim()))));
        const pid = holder.pid!;
        const recording = runCapture({ file: capture, seconds: 6, compress: false, syscalls: ['fchmod', 'close', 'openat', 'execve', 'clone'] });
        // The plain file grows once the header, process table and descriptor blocks are written.
        const deadline = Date.now() + 20000;
        while (!(existsSync(capture) && statSync(capture).size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 500));
        holder.stdin.write('go\n');
        await exited;
        await recording;

        // Our reader: the holder's descriptor is in the capture's initial state.
        const { state } = readScapBuffer(readFileSync(capture));
        expect(state.threads.get(pid)?.fds.find((f) => f.fd === fdNum)).toMatchObject({ type: FD_TYPE.FILE_V2, name: file });

        // sysdig reads the file and names the fchmod's descriptor from it: "fd=N(<f>path)" (its
        // fd.* fields are empty for fchmod in 0.29, so the rendered arguments are the evidence).
        const filter = `evt.type=fchmod and proc.pid=${pid}`;
        const sysdig = spawnSync('sysdig', ['-r', capture, '-p', '%evt.type %evt.args', `proc.pid=${pid}`], { encoding: 'utf8' });
        expect(sysdig.stderr).toBe('');
        expect(sysdig.status).toBe(0);
        expect(sysdig.stdout).toContain(`fchmod res=0 fd=${fdNum}(<f>${file})`);

        // So does a replay through the rules engine.
        const r = await falco(['inspect', '-r', capture, '-p', '%fd.num %fd.name', filter]);
        expect(r.code).toBe(0);
        expect(r.stdout.split('\n')).toContain(`${fdNum} ${file}`);
      });
    },
    60000,
  );
});
