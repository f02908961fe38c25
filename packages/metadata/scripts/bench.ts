// Measures the event-path cost of metadata lookups and how fast records arrive, against a private
// dockerd (the same one the tests use). Run: npx tsx packages/metadata/scripts/bench.ts [containers]
import Docker from 'dockerode';
import { MetadataService, containerField } from '../src';
import { buildBusyboxImage, startDockerd } from '../test/support/dockerd';

const IMAGE = 'falco-ts/busybox:bench';

function nsPer(iterations: number, fn: () => void): number {
  fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 40);
  const engine = await startDockerd();
  const service = new MetadataService({ providers: { docker: { socketPath: engine.socketPath } } });
  try {
    await buildBusyboxImage(engine.socketPath, IMAGE);
    const docker = new Docker({ socketPath: engine.socketPath });
    const arrived = new Map<string, number>();
    service.onContainer((i) => {
      if (!arrived.has(i.id)) arrived.set(i.id, performance.now());
    });
    const latencies: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const c = await docker.createContainer({
        Image: IMAGE, Cmd: ['sleep', '600'], Labels: { app: `a${i}` },
        HostConfig: { Binds: ['/proc:/host/proc:ro'] },
      });
      ids.push(c.id);
      while (!arrived.has(c.id)) await new Promise((r) => setTimeout(r, 1));
      latencies.push(arrived.get(c.id)! - t0);
    }
    latencies.sort((a, b) => a - b);
    const full = ids;
    const short = ids.map((id) => id.slice(0, 12));
    let k = 0;
    const hitFull = nsPer(5_000_000, () => void service.lookupContainer(full[k++ % full.length]!));
    const hitShort = nsPer(5_000_000, () => void service.lookupContainer(short[k++ % short.length]!));
    const unknown = 'e'.repeat(64);
    service.lookupContainer(unknown);
    await new Promise((r) => setTimeout(r, 200));
    const missNegative = nsPer(5_000_000, () => void service.lookupContainer(unknown));
    const info = service.lookupContainer(full[0]!);
    const fieldRepo = nsPer(5_000_000, () => void containerField(info, 'container.image.repository'));
    const fieldMount = nsPer(2_000_000, () => void containerField(info, 'container.mount.dest', '/proc*'));
    const heapBefore = process.memoryUsage().heapUsed;
    const rows: [string, string][] = [
      ['containers', String(count)],
      ['create → record delivered (p50 / p95 / max, ms)', `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} / ${latencies.at(-1)!.toFixed(1)}`],
      ['lookupContainer hit, full id (ns)', hitFull.toFixed(1)],
      ['lookupContainer hit, short id (ns)', hitShort.toFixed(1)],
      ['lookupContainer miss, negative-cached (ns)', missNegative.toFixed(1)],
      ['containerField container.image.repository (ns)', fieldRepo.toFixed(1)],
      ['containerField container.mount.dest[/proc*] (ns)', fieldMount.toFixed(1)],
      ['heap used (MB)', (heapBefore / 1e6).toFixed(1)],
      ['counters', JSON.stringify(service.counters())],
    ];
    for (const [name, value] of rows) process.stdout.write(`${name.padEnd(52)} ${value}\n`);
  } finally {
    await service.close();
    await engine.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
