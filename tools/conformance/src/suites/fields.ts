/**
 * The `fields` suite: field-for-field fidelity against sysdig 0.29 on any captures.
 *
 *   pnpm conformance fields DIR-OR-CAPTURE... [RULES.yaml | RULES-DIR ...]
 *
 * Inputs are captures (`.scap`, `.scap.gz`, searched for in directories) and, optionally, rules
 * files (`.yaml`) whose conditions and outputs name the fields to compare; without any, the
 * falcosecurity/rules 5.1.0 files of the shared conformance data are used. Every exit event of
 * every capture is compared field by field; one case per field passes when at least 99.5% of the
 * lines agree, plus one case for the events themselves (sysdig's exit events the engine produced).
 * A table of agreement per field is printed before the cases.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compareCapture, sysdigDisplayable, type FieldTally } from '../fields/compare';
import { KNOWN_DIFFERENCES } from '../fields/known-differences';
import { rulesFields } from '../fields/rules-fields';
import type { CaseResult, Suite } from '../suite';

const THRESHOLD = 0.995;
const DEFAULT_RULES = 'shared/conformance/rules/falco-rules-5.1.0/rules';

/**
 * The identity fields of every line (which thread, process and event), compared although a rule
 * names them only through macros or not at all.
 */
const IDENTITY_FIELDS = ['evt.type', 'thread.tid', 'thread.vtid', 'proc.pid', 'proc.ppid', 'proc.apid[2]', 'proc.aname[2]', 'fd.cip', 'fd.sip', 'fd.cport', 'fd.sport', 'fd.is_server'];

/**
 * Rule fields left out, with why: they depend on the machine running the comparison, not on the
 * capture.
 */
const MACHINE_FIELDS = new Map([
  ['evt.hostname', 'the hostname of the machine reading the capture'],
  ['fd.sip.name', 'a DNS lookup on the machine reading the capture'],
  ['fd.cip.name', 'a DNS lookup on the machine reading the capture'],
  ['fd.rip.name', 'a DNS lookup on the machine reading the capture'],
  ['fd.lip.name', 'a DNS lookup on the machine reading the capture'],
]);

function collect(inputs: readonly string[]): { captures: string[]; rules: string[] } {
  const captures: string[] = [];
  const rules: string[] = [];
  const visit = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) visit(join(p, e));
    } else if (/\.scap(\.gz)?$/.test(p)) {
      captures.push(p);
    } else if (/\.ya?ml$/.test(p)) {
      rules.push(p);
    }
  };
  for (const i of inputs) visit(resolve(i));
  return { captures, rules };
}

function defaultRules(): string[] {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, DEFAULT_RULES);
    if (existsSync(candidate)) return collect([candidate]).rules;
  }
  throw new Error(`no rules files given and ${DEFAULT_RULES} not found above ${__dirname}`);
}

function percent(t: FieldTally): string {
  if (t.compared === 0) return '      -';
  return `${((100 * (t.compared - t.differing)) / t.compared).toFixed(2).padStart(6)}%`;
}

export const suite: Suite = {
  async *run(inputs) {
    const { captures, rules } = collect(inputs);
    if (captures.length === 0) throw new Error(`no captures (.scap, .scap.gz) in ${inputs.join(' ')}`);
    const wanted = [...new Set([...IDENTITY_FIELDS, ...rulesFields(rules.length > 0 ? rules : defaultRules())])].filter((f) => !MACHINE_FIELDS.has(f));
    const { ok: fields, refused } = await sysdigDisplayable(captures[0]!, wanted);

    const total = new Map(fields.map((f) => [f, { compared: 0, differing: 0, known: 0, examples: [] as string[] }]));
    const worst = new Map<string, Array<{ capture: string; differing: number; examples: string[] }>>();
    let events = 0;
    let missing = 0;
    let extra = 0;
    const missingIn: string[] = [];
    for (const file of captures) {
      const c = await compareCapture(file, fields);
      events += c.events;
      missing += c.missing;
      extra += c.extra;
      if (c.missing > 0) missingIn.push(`${basename(file)} (${c.missing})`);
      for (const [f, t] of c.fields) {
        const sum = total.get(f)!;
        sum.compared += t.compared;
        sum.differing += t.differing;
        sum.known += t.known;
        if (t.differing > 0) {
          const list = worst.get(f) ?? [];
          list.push({ capture: basename(file), differing: t.differing, examples: t.examples });
          worst.set(f, list);
        }
      }
    }

    const out = (s: string): boolean => process.stdout.write(s);
    out(`fields: ${captures.length} captures, ${events} exit events, ${fields.length} fields (${refused.size} sysdig 0.29 cannot print, ${MACHINE_FIELDS.size} machine-dependent, left out)\n`);
    out(`${'field'.padEnd(28)} ${'agree'.padStart(7)} ${'compared'.padStart(9)} ${'differ'.padStart(7)} ${'known'.padStart(6)}\n`);
    for (const [f, t] of total) out(`${f.padEnd(28)} ${percent(t)} ${String(t.compared).padStart(9)} ${String(t.differing).padStart(7)} ${String(t.known).padStart(6)}\n`);
    for (const [f, why] of refused) out(`not compared: ${f}: ${why}\n`);
    for (const [f, why] of MACHINE_FIELDS) out(`not compared: ${f}: ${why}\n`);
    out(`known differences (sysdig 0.29's libs vs modern libs): ${KNOWN_DIFFERENCES.map((k) => k.why).join('; ')}\n`);

    const produced = events - missing;
    const eventsCase: CaseResult = {
      id: 'fields/events',
      passed: events === 0 || produced / events >= THRESHOLD,
      detail: `${produced} of sysdig's ${events} exit events produced (${extra} only ours); missing in ${missingIn.slice(0, 5).join(', ')}`,
    };
    yield eventsCase;
    for (const [f, t] of total) {
      const agree = t.compared === 0 ? 1 : (t.compared - t.differing) / t.compared;
      const where = (worst.get(f) ?? []).sort((a, b) => b.differing - a.differing).slice(0, 2);
      yield {
        id: `fields/${f}`,
        passed: agree >= THRESHOLD,
        detail: `${percent(t).trim()} of ${t.compared} lines agree; ${where.map((w) => `${w.capture}: ${w.differing} differ, e.g. ${w.examples[0]}`).join('; ')}`,
      };
    }
  },
};
