/**
 * `--list [source]` (the fields reference, as text, Markdown or JSON; `-N` for names only) and
 * `--list-events` (the syscall event table), both printed from the registries the detector uses.
 */
import { EC, EF, EVENT_TABLE, paramTypeName } from '@falco-ts/driver';
import { FIELD_CLASSES, K8S_AUDIT_FIELDS, K8S_AUDIT_FIELD_CLASSES, K8S_AUDIT_SOURCE, SYSCALL_FIELDS, type SyscallFieldInfo } from '@falco-ts/engine';
import type { AppContext } from '../context';
import { usageErrors } from '../errors';
import { loadedPlugins } from './plugins';

interface FieldRow {
  name: string;
  type: string;
  description: string;
  className: string;
  flags: string[];
}

function syscallRows(): FieldRow[] {
  return SYSCALL_FIELDS.filter((f) => !f.flags.tableOnly).map((f: SyscallFieldInfo) => ({
    name: f.name,
    type: f.type.toUpperCase(),
    description: f.description,
    className: f.className,
    flags: [f.flags.filterOnly ? 'FILTER ONLY' : '', f.flags.printOnly ? 'PRINT ONLY' : '', f.flags.deprecated ? 'DEPRECATED' : ''].filter(Boolean),
  }));
}

function k8sAuditRows(): FieldRow[] {
  return K8S_AUDIT_FIELDS.map((f) => ({ name: f.name, type: f.type.toUpperCase(), description: f.description, className: f.className, flags: [] }));
}

export function printFields(ctx: AppContext): number {
  // Plugin sources are listed when their (built-in) plugin is loaded, as in Falco.
  const SOURCES: Record<string, () => FieldRow[]> = { syscall: syscallRows };
  if (loadedPlugins(ctx).some((p) => p.eventSource === K8S_AUDIT_SOURCE)) SOURCES[K8S_AUDIT_SOURCE] = k8sAuditRows;
  const wanted = ctx.cli.listFields === true ? Object.keys(SOURCES) : [ctx.cli.listFields as string];
  for (const s of wanted) {
    if (!SOURCES[s]) throw usageErrors.bad(`Unknown event source ${s} (available: ${Object.keys(SOURCES).join(', ')})`);
  }
  const format = ctx.cli.listFormat;
  if (format === 'json') {
    const out = wanted.map((source) => ({ source, fields: (SOURCES[source] as () => FieldRow[])() }));
    ctx.io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const source of wanted) {
    const rows = (SOURCES[source] as () => FieldRow[])();
    if (ctx.cli.noNames) {
      for (const r of rows) lines.push(r.name);
      continue;
    }
    for (const cls of [...FIELD_CLASSES, ...K8S_AUDIT_FIELD_CLASSES]) {
      const members = rows.filter((r) => r.className === cls.name);
      if (members.length === 0) continue;
      if (format === 'markdown') {
        lines.push(`## Field Class: ${cls.name}`, '', cls.description, '', 'Name | Type | Description', ':----|:-----|:-----------');
        for (const r of members) lines.push(`\`${r.name}\` | ${r.type} | ${r.description.replace(/\|/g, '\\|')}`);
        lines.push('');
      } else {
        lines.push('-'.repeat(79), `Field Class:                  ${cls.name} (${cls.title})`, `Event Sources:                ${source}`, '', cls.description, '');
        for (const r of members) {
          const flags = r.flags.length > 0 ? ` [${r.flags.join(', ')}]` : '';
          lines.push(`${r.name.padEnd(30)}${r.type.padEnd(13)}${r.description}${flags}`);
        }
        lines.push('');
      }
    }
  }
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

const DIR = { enter: '>', exit: '<' } as const;

export function printEvents(ctx: AppContext): number {
  const lines: string[] = [];
  const markdown = ctx.cli.markdown;
  if (markdown) lines.push('Default | Dir | Name | Params', ':-------|:----|:-----|:-----');
  for (const e of EVENT_TABLE) {
    if ((e.flags & (EF.UNUSED | EF.OLD_VERSION)) !== 0) continue;
    const params = e.params.map((p) => `${paramTypeName(p[1]).replace(/^PT_/, '')} ${p[0]}`).join(', ');
    const kind = (e.category & EC.SYSCALL) !== 0 ? 'Syscall' : (e.category & EC.TRACEPOINT) !== 0 ? 'Tracepoint' : 'Metaevent';
    if (markdown) lines.push(`${kind} | \`${DIR[e.dir]}\` | ${e.name} | ${params}`);
    else lines.push(`[${kind}] ${DIR[e.dir]} ${e.name}(${params})`);
  }
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
