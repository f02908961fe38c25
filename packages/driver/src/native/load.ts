/**
 * Finds and loads the compiled addon, and turns the native layer's coded failures into DriverError
 * with the likely causes and fixes spelled out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriverError, type DriverErrorCode } from '../errors';
import type { NativeAddon } from './types';

const ADDON_FILE = 'falco_ts_driver.node';

/** `<package>/build/Release/falco_ts_driver.node`, from both `src/native` and `dist/native`. */
export function defaultAddonPath(): string {
  return path.join(__dirname, '..', '..', 'build', 'Release', ADDON_FILE);
}

let cached: NativeAddon | undefined;

export function loadAddon(explicitPath?: string): NativeAddon {
  if (cached !== undefined && explicitPath === undefined) return cached;
  const file = explicitPath ?? process.env.FALCO_TS_DRIVER_ADDON ?? defaultAddonPath();
  if (!fs.existsSync(file)) {
    throw new DriverError(
      'ADDON_MISSING',
      `the live capture addon is not built (looked for ${file})`,
      { detail: file },
      'Build it with `pnpm --filter @falco-ts/driver build`; that needs clang >= 12, bpftool, libbpf-dev, ' +
        'libelf-dev, zlib1g-dev, make and g++ (scripts/setup.sh installs them).',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const addon = require(file) as NativeAddon;
  if (explicitPath === undefined) cached = addon;
  return addon;
}

const HINTS: Partial<Record<DriverErrorCode, string>> = {
  NOT_PRIVILEGED:
    'Loading eBPF programs needs root, or CAP_BPF + CAP_PERFMON + CAP_SYS_RESOURCE. Run as root, or ' +
    'grant the capabilities (e.g. `setcap cap_bpf,cap_perfmon,cap_sys_resource+ep $(which node)`); in a ' +
    'container, run it privileged.',
  NO_BTF:
    'The kernel exposes no BTF (/sys/kernel/btf/vmlinux is missing). The driver needs a kernel >= 5.8 ' +
    'built with CONFIG_DEBUG_INFO_BTF=y; use a replay capture (`engine.kind: replay`) on this host.',
  BPF_LOAD_FAILED:
    'The kernel refused the BPF programs. It needs kernel >= 5.8 with BPF ring buffers and BTF tracepoints ' +
    '(tp_btf); the libbpf log above names the program and reason.',
  SCHEMA_MISMATCH: 'The addon and the BPF object come from different builds: rebuild the package.',
};

interface NativeFailure {
  message?: unknown;
  code?: unknown;
  errno?: unknown;
}

/** Rethrows a native failure as a DriverError; leaves other values untouched. */
export function toDriverError(err: unknown): unknown {
  const e = err as NativeFailure;
  if (err === null || typeof err !== 'object' || typeof e.code !== 'string' || typeof e.message !== 'string') return err;
  const code = e.code as DriverErrorCode;
  const [first, ...rest] = e.message.split('\n');
  const errno = typeof e.errno === 'number' ? e.errno : undefined;
  return new DriverError(code, first ?? e.message, { errno, detail: rest.join('\n') || undefined }, [rest.join('\n').trim(), HINTS[code] ?? ''].filter(Boolean).join('\n'));
}
