/**
 * Name resolution over the field catalogue: turns what a condition or output names
 * (`proc.aname[2]`, `evt.arg.fd`, `thread.cgroup.cpuacct`, `container.label[app]`) into a field
 * definition plus its parsed argument, or a reason it cannot be used.
 */
import type { SyscallFieldInfo } from './types';

export interface FieldReference {
  readonly info: SyscallFieldInfo;
  /** The argument as written, when there is one (`2`, `fd`, `HOME`). */
  readonly arg: string | undefined;
  /** The argument as a number, for fields that take an index and got a numeric argument. */
  readonly index: number | undefined;
  /** The argument as a name, for fields that take a key and got a non-numeric one (or key-only). */
  readonly key: string | undefined;
}

export type LookupResult =
  | { readonly ok: true; readonly ref: FieldReference }
  | { readonly ok: false; readonly reason: 'unknown' | 'bad-argument'; readonly message: string };

const INDEX_RE = /^[0-9]+$/;

export class FieldCatalogue {
  private readonly byName = new Map<string, SyscallFieldInfo>();
  /** Fields that accept `name.arg`, longest name first so `evt.abspath` beats `evt`-like prefixes. */
  private readonly dotted: SyscallFieldInfo[];

  constructor(readonly fields: readonly SyscallFieldInfo[]) {
    for (const f of fields) {
      if (this.byName.has(f.name)) throw new Error(`field catalogue: duplicate field ${f.name}`);
      this.byName.set(f.name, f);
    }
    this.dotted = fields.filter((f) => f.arg.dotted).sort((a, b) => b.name.length - a.name.length);
  }

  /** The definition registered under exactly this name (no argument parsing). */
  get(name: string): SyscallFieldInfo | undefined {
    return this.byName.get(name);
  }

  /**
   * Resolves a field as the parser hands it over: `name` as written (which may carry a dotted
   * argument), `bracketArg` the text between `[` and `]` when present.
   */
  lookup(name: string, bracketArg?: string): LookupResult {
    const exact = this.byName.get(name);
    if (exact !== undefined) return this.withArgument(exact, bracketArg, 'bracket');
    for (const f of this.dotted) {
      if (name.length > f.name.length + 1 && name.startsWith(f.name) && name[f.name.length] === '.') {
        if (bracketArg !== undefined) {
          return bad(`field '${f.name}' got two arguments: '${name.slice(f.name.length + 1)}' and '[${bracketArg}]'`);
        }
        return this.withArgument(f, name.slice(f.name.length + 1), 'dot');
      }
    }
    return { ok: false, reason: 'unknown', message: `unknown field '${name}'` };
  }

  private withArgument(info: SyscallFieldInfo, arg: string | undefined, form: 'bracket' | 'dot'): LookupResult {
    const spec = info.arg;
    if (arg === undefined) {
      if (spec.rule === 'required') return bad(`field '${info.name}' requires an argument`);
      return ok(info, undefined, undefined, undefined);
    }
    if (spec.rule === 'none') return bad(`field '${info.name}' does not take an argument`);
    if (form === 'bracket' && !spec.bracket) {
      return bad(`field '${info.name}' takes its argument after a dot (${info.name}.<arg>), not in brackets`);
    }
    const numeric = INDEX_RE.test(arg);
    if (spec.index && numeric) {
      const index = Number(arg);
      if (!Number.isSafeInteger(index)) {
        // evt.around takes a nanosecond timestamp; keep it as text for the extractor to parse as bigint.
        return ok(info, arg, undefined, arg);
      }
      return ok(info, arg, index, undefined);
    }
    if (spec.key) {
      if (arg === '') return bad(`field '${info.name}' requires a non-empty argument`);
      return ok(info, arg, undefined, arg);
    }
    return bad(`field '${info.name}' requires a numeric index argument, got '${arg}'`);
  }
}

function ok(info: SyscallFieldInfo, arg: string | undefined, index: number | undefined, key: string | undefined): LookupResult {
  return { ok: true, ref: { info, arg, index, key } };
}

function bad(message: string): LookupResult {
  return { ok: false, reason: 'bad-argument', message };
}
