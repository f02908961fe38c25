#!/usr/bin/env node
/**
 * `pnpm bench [name...]`: runs every benchmark module in `./benches/` (or the named ones) and prints
 * one table. Each module exports `bench: Bench`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, BenchRow } from './bench';

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(4);
}

async function main(filter: readonly string[]): Promise<void> {
  const dir = join(__dirname, 'benches');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const { bench } = (await import(join(dir, file))) as { bench: Bench };
    if (filter.length > 0 && !filter.includes(bench.name)) continue;
    process.stderr.write(`bench: running ${bench.name}\n`);
    rows.push(...(await bench.run()));
  }
  const table = [['bench', 'metric', 'value', 'unit', 'peer', 'ratio', 'note']];
  for (const r of rows) {
    table.push([
      r.bench,
      r.metric,
      format(r.value),
      r.unit,
      r.peer ? `${r.peer.name}: ${format(r.peer.value)}` : '',
      r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '',
      r.note ?? '',
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const [i, row] of table.entries()) {
    process.stdout.write(`| ${row.map((c, j) => c.padEnd(widths[j])).join(' | ')} |\n`);
    if (i === 0) process.stdout.write(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
