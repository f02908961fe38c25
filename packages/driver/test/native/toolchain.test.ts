/**
 * The build scripts name the missing tool and the package that provides it, instead of failing
 * somewhere inside clang or node-gyp.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PKG = path.join(__dirname, '..', '..');

/** Runs a build script with a PATH that only has the listed tools. */
function runWith(script: string, tools: string[]): { status: number | null; stderr: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'toolchain-'));
  try {
    for (const t of tools) {
      const found = spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
      if (found) fs.symlinkSync(found, path.join(bin, t));
    }
    const r = spawnSync('/bin/sh', [path.join(PKG, 'scripts', script)], { cwd: PKG, env: { PATH: bin }, encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

describe('build toolchain checks', () => {
  it('build-bpf.sh names clang and its package when clang is missing', () => {
    const r = runWith('build-bpf.sh', ['dirname']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("build-bpf: 'clang' not found. Install the eBPF toolchain: apt-get install -y clang\n");
  });

  it('build-bpf.sh names bpftool when only clang is present', () => {
    const r = runWith('build-bpf.sh', ['dirname', 'clang']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("build-bpf: 'bpftool' not found. Install the eBPF toolchain: apt-get install -y bpftool\n");
  });

  it('build-native.sh names make/g++/pkg-config when they are missing', () => {
    const r = runWith('build-native.sh', ['dirname']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("build-native: 'make' not found. Install it: apt-get install -y make g++ pkg-config\n");
  });
});
