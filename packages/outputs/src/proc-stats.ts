/**
 * Process and host resource figures read from /proc, as Falco reports them with
 * `resource_utilization_enabled`. Each reader returns undefined when the file is unavailable
 * (another OS, a restricted container) rather than failing a metrics scrape.
 */
import { readFileSync } from 'node:fs';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Virtual memory size of this process in bytes (field 23 of /proc/self/stat). */
export function processVszBytes(): number | undefined {
  const stat = read('/proc/self/stat');
  if (stat === undefined) return undefined;
  // The command name (field 2) may contain spaces; fields are counted after its closing paren.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const vsz = Number(rest[20]);
  return Number.isFinite(vsz) ? vsz : undefined;
}

/** Proportional set size in bytes, from /proc/self/smaps_rollup. */
export function processPssBytes(): number | undefined {
  const m = /^Pss:\s+(\d+) kB/m.exec(read('/proc/self/smaps_rollup') ?? '');
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Host boot time in nanoseconds since the epoch (`btime` in /proc/stat). */
export function hostBootNs(): number | undefined {
  const m = /^btime (\d+)$/m.exec(read('/proc/stat') ?? '');
  return m ? Number(m[1]) * 1e9 : undefined;
}

export function hostProcsRunning(): number | undefined {
  const m = /^procs_running (\d+)$/m.exec(read('/proc/stat') ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Allocated file handles on the host (first field of /proc/sys/fs/file-nr). */
export function hostOpenFds(): number | undefined {
  const v = Number((read('/proc/sys/fs/file-nr') ?? '').split(/\s+/)[0]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Memory in use on the host: total minus what is available to new work, in bytes. */
export function hostMemoryUsedBytes(): number | undefined {
  const info = read('/proc/meminfo') ?? '';
  const total = /^MemTotal:\s+(\d+) kB/m.exec(info);
  const avail = /^MemAvailable:\s+(\d+) kB/m.exec(info);
  return total && avail ? (Number(total[1]) - Number(avail[1])) * 1024 : undefined;
}
