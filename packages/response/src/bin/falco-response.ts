#!/usr/bin/env node
/**
 * `falco-response`: the Talon-compatible receiver on its own. Falco's `http_output` (or
 * Falcosidekick's Talon output) posts alerts to it; it acts with the same engine the detector
 * embeds.
 *
 *   falco-response -r rules.yaml [-r more.yaml] [-c falco.yaml] [--port 2803] [--address 0.0.0.0] [--dry-run]
 *
 * `-c` reads the `response:` section of a falco.yaml-shaped file; flags override it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseResponseSettings, startResponse, type ResponseSettings } from '../config';

function usage(message: string): never {
  process.stderr.write(`falco-response: ${message}\nusage: falco-response -r RULES... [-c CONFIG] [--port N] [--address ADDR] [--dry-run]\n`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<void> {
  let config: string | undefined;
  const rules: string[] = [];
  let port: number | undefined;
  let address: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '-r' || a === '--rules') rules.push(next());
    else if (a === '-c' || a === '--config') config = next();
    else if (a === '--port') port = Number(next());
    else if (a === '--address') address = next();
    else if (a === '--dry-run') dryRun = true;
    else usage(`unknown argument ${a}`);
  }
  const base = parseResponseSettings(config ? parseYaml(readFileSync(config, 'utf8')) : {});
  const settings: ResponseSettings = {
    ...base,
    rulesFiles: rules.length > 0 ? rules : base.rulesFiles,
    dryRun: dryRun || base.dryRun,
    receiver: { enabled: true, address: address ?? base.receiver.address, port: port ?? base.receiver.port },
  };
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const runtime = await startResponse(settings, {
    log,
    onReport: (r) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'response', rule: r.rule, action: r.action, actionner: r.actionner, result: r.result, output: r.output, objects: r.objects, alert_rule: r.alert.rule })}\n`),
  });
  log(`listening on ${runtime.receiver!.address}:${runtime.receiver!.port} with ${runtime.rules.rules.length} rules${settings.dryRun ? ' (dry-run)' : ''}`);
  const stop = () => void runtime.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`falco-response: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
