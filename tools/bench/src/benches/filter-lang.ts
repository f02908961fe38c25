/**
 * filter-lang: how long parsing and compiling takes for every rule condition of Falco's default
 * ruleset (falco_rules.yaml 5.1.0, after list and macro expansion by the small harness below),
 * and how many evaluations per second the compiled predicates run over in-memory events on one
 * core.
 *
 * Field types come from the engine's syscall field catalogue; the in-memory events are arrays
 * indexed by field id, so extraction is one array read and evaluation measures the predicates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  build,
  compile,
  NodeType,
  parse,
  transform,
  type Expr,
  type FieldDefinition,
  type FieldRegistry,
  type FieldScalar,
  type FieldType,
  type ListNode,
  type ValueNode,
  unescapeQuoted,
} from '@falco-ts/filter-lang';
import { syscallFieldCatalogue } from '@falco-ts/engine';
import { parse as parseYaml } from 'yaml';
import type { Bench, BenchRow } from '../bench';

const RULES_FILE = join(__dirname, '../../../../../shared/conformance/rules/falco-rules-5.1.0/rules/falco_rules.yaml');

type Event = FieldScalar[];

/** Fields over in-memory events: each field name gets a slot in the event array. */
class ArrayEventRegistry implements FieldRegistry<Event> {
  readonly slots = new Map<string, number>();
  private readonly defs = new Map<string, FieldDefinition<Event>>();

  get(name: string): FieldDefinition<Event> | undefined {
    let def = this.defs.get(name);
    if (def) return def;
    const found = syscallFieldCatalogue.lookup(name);
    if (!found.ok) return undefined;
    const info = found.ref.info;
    const slot = this.slots.size;
    this.slots.set(name, slot);
    def = {
      name,
      type: (info.type === 'dynamic' ? 'charbuf' : info.type) as FieldType,
      list: info.flags.list,
      arg: { kind: 'optional', form: 'any' },
      extract: (e: Event) => e[slot],
    };
    this.defs.set(name, def);
    return def;
  }

  event(values: Record<string, FieldScalar>): Event {
    const e: Event = [];
    for (const [name, slot] of this.slots) e[slot] = values[name] as FieldScalar;
    return e;
  }
}

interface RulesDoc {
  lists: Map<string, string[]>;
  macros: Map<string, string>;
  rules: { name: string; condition: string }[];
}

function unquote(item: string): string {
  const q = item[0];
  return item.length >= 2 && (q === '"' || q === "'") && item.endsWith(q) ? unescapeQuoted(item) : item;
}

function loadRules(file: string): RulesDoc {
  const doc = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  const out: RulesDoc = { lists: new Map(), macros: new Map(), rules: [] };
  for (const item of doc) {
    if (typeof item.list === 'string') {
      // Items are condition text: a quoted item is a quoted string.
      const items = (item.items as unknown[]).map(String).flatMap((v) => out.lists.get(v) ?? [unquote(v)]);
      out.lists.set(item.list, items);
    } else if (typeof item.macro === 'string') {
      out.macros.set(item.macro, String(item.condition));
    } else if (typeof item.rule === 'string' && typeof item.condition === 'string') {
      out.rules.push({ name: item.rule, condition: item.condition });
    }
  }
  return out;
}

/** Expands list references in right-hand sides and macro references, as Falco's loader does. */
function expander(doc: RulesDoc): (text: string) => Expr {
  const expandedMacros = new Map<string, Expr>();
  const expandLists = (values: readonly ValueNode[]): string[] =>
    values.flatMap((v) => (!v.quoted && doc.lists.has(v.value) ? doc.lists.get(v.value)! : [v.value]));
  const expand = (text: string): Expr =>
    transform(parse(text), {
      Identifier: (n) => macro(n.name),
      List: (n: ListNode) => build.list(expandLists(n.items), n),
      BinaryCheck: (n) => {
        if (n.right.type === NodeType.Value && !n.right.quoted && doc.lists.has(n.right.value)) {
          return { ...n, right: build.list(doc.lists.get(n.right.value)!, n.right) };
        }
        return undefined;
      },
    }) as Expr;
  const macro = (name: string): Expr | undefined => {
    if (!expandedMacros.has(name)) {
      const text = doc.macros.get(name);
      if (text === undefined) return undefined;
      expandedMacros.set(name, expand(text));
    }
    return expandedMacros.get(name);
  };
  return expand;
}

const SAMPLE_EVENTS: Record<string, FieldScalar>[] = [
  {
    'evt.type': 'openat', 'evt.dir': '<', 'evt.is_open_read': true, 'fd.name': '/etc/shadow', 'fd.directory': '/etc',
    'fd.filename': 'shadow', 'fd.typechar': 'f', 'fd.num': 3, 'proc.name': 'cat', 'proc.pname': 'bash',
    'proc.cmdline': 'cat /etc/shadow', 'proc.exepath': '/usr/bin/cat', 'user.name': 'root', 'container.id': 'host',
    'evt.rawres': 3, 'evt.failed': false,
  },
  {
    'evt.type': 'execve', 'evt.dir': '<', 'proc.name': 'bash', 'proc.pname': 'containerd-shim', 'proc.tty': 34816,
    'proc.cmdline': 'bash -i', 'proc.exepath': '/bin/bash', 'container.id': 'f3c1a2b4c5d6', 'container.image.repository': 'nginx',
    'evt.arg.res': 0, 'user.name': 'root', 'proc.is_exe_upper_layer': false,
  },
  {
    'evt.type': 'connect', 'evt.dir': '<', 'fd.typechar': '4', 'fd.sip': '10.0.0.1', 'fd.sport': 443, 'proc.name': 'curl',
    'proc.cmdline': 'curl https://example.com', 'container.id': 'host', 'evt.rawres': 0,
  },
  { 'evt.type': 'read', 'evt.dir': '<', 'fd.name': '/var/log/syslog', 'proc.name': 'rsyslogd', 'container.id': 'host' },
];

/** Runs `fn` for about `ms` milliseconds and returns calls per second. */
function rate(fn: () => number, ms: number): { perSecond: number; sink: number } {
  let calls = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    sink += fn();
    calls++;
    elapsed = process.hrtime.bigint() - start;
  }
  return { perSecond: calls / (Number(elapsed) / 1e9), sink };
}

export const bench: Bench = {
  name: 'filter-lang',
  async run(): Promise<BenchRow[]> {
    const doc = loadRules(RULES_FILE);
    const registry = new ArrayEventRegistry();

    // Parse + expand + compile every rule condition; repeat to get a stable per-condition time.
    const rounds = 5;
    const compiled: { name: string; predicate: (e: Event) => boolean }[] = [];
    const failures: string[] = [];
    let parseCompileNs = 0n;
    for (let round = 0; round < rounds; round++) {
      const start = process.hrtime.bigint();
      // A fresh expander each round: the macros the rules use are parsed again too.
      const expand = expander(doc);
      for (const rule of doc.rules) {
        try {
          const c = compile(expand(rule.condition), registry);
          if (round === 0) compiled.push({ name: rule.name, predicate: c.predicate });
        } catch (e) {
          if (round === 0) failures.push(`${rule.name}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      parseCompileNs += process.hrtime.bigint() - start;
    }
    const perRoundMs = Number(parseCompileNs) / rounds / 1e6;

    // The slowest single rule (parse + expansion + compile, macros parsed fresh).
    let slowest = { name: '', ms: 0 };
    {
      const expand = expander(doc);
      for (const rule of doc.rules) {
        const start = process.hrtime.bigint();
        try {
          compile(expand(rule.condition), registry);
        } catch {
          // counted above
        }
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (ms > slowest.ms) slowest = { name: rule.name, ms };
      }
    }
    const events = SAMPLE_EVENTS.map((v) => registry.event(v));

    // Every rule over every sample event.
    const all = rate(() => {
      let hits = 0;
      for (const e of events) for (const r of compiled) if (r.predicate(e)) hits++;
      return hits;
    }, 2000);
    const allEvals = all.perSecond * events.length * compiled.length;

    // One typical rule, on the event it inspects.
    const typicalName = 'Read sensitive file untrusted';
    const typical = compiled.find((r) => r.name === typicalName);
    const rows: BenchRow[] = [
      {
        bench: 'filter-lang',
        metric: `parse+expand+compile, all ${doc.rules.length} rule conditions of falco_rules.yaml 5.1.0 (with the macros they use)`,
        value: perRoundMs,
        unit: 'ms',
        note: `${(perRoundMs * 1000 / doc.rules.length).toFixed(0)} µs/condition; ${compiled.length} compiled, ${failures.length} failed${failures.length ? ` (${failures.slice(0, 2).join('; ')})` : ''}`,
      },
      {
        bench: 'filter-lang',
        metric: 'parse+expand+compile, slowest rule (first use of its macros included)',
        value: slowest.ms,
        unit: 'ms',
        note: slowest.name,
      },
      {
        bench: 'filter-lang',
        metric: `evaluations/s, ${compiled.length} rules x ${events.length} in-memory events`,
        value: allEvals,
        unit: 'evals/s',
        note: `sink ${all.sink}`,
      },
    ];
    if (typical) {
      const e = events[0];
      const one = rate(() => {
        let hits = 0;
        for (let i = 0; i < 1000; i++) if (typical.predicate(e)) hits++;
        return hits;
      }, 2000);
      rows.push({
        bench: 'filter-lang',
        metric: `evaluations/s, "${typicalName}" (expanded) on an open of /etc/shadow`,
        value: one.perSecond * 1000,
        unit: 'evals/s',
        note: `matching event: every clause runs; result ${typical.predicate(e)}`,
      });
      const other = events[1];
      const miss = rate(() => {
        let hits = 0;
        for (let i = 0; i < 1000; i++) if (typical.predicate(other)) hits++;
        return hits;
      }, 2000);
      rows.push({
        bench: 'filter-lang',
        metric: `evaluations/s, "${typicalName}" (expanded) on an execve`,
        value: miss.perSecond * 1000,
        unit: 'evals/s',
        note: `target > 10,000,000; result ${typical.predicate(other)}`,
      });
    }
    return rows;
  },
};
