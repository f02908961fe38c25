/**
 * The syscall field registry that conditions and outputs compile against: the catalogue's names,
 * types and argument rules, bound to extractors over `SyscallEvent`. Each distinct reference
 * (`proc.aname[2]`, `evt.arg.fd`) resolves once to a definition shared by every rule that uses it,
 * so per-event memoisation of expensive fields serves all rules at once.
 */
import { EVENT_TABLE, PT } from '@falco-ts/driver';
import type {
  FieldArgRule as CompilerArgRule,
  FieldDefinition,
  FieldRegistry,
  FieldScalar,
  FieldType as CompilerFieldType,
} from '@falco-ts/filter-lang';
import { anyOfCheck } from './any-of';
import { SYSCALL_FIELDS } from './catalogue';
import type { SyscallEvent } from './event';
import type { Extract, ExtractorFactory } from './extract/common';
import { EVT_EXTRACTORS, aroundCheck } from './extract/evt';
import { DNS_NAME_FIELDS, dnsNameCheck, dnsNameExtractor } from './extract/dns';
import { FD_EXTRACTORS, FSPATH_EXTRACTORS, fdAddresses, fdPorts } from './extract/fd';
import { NETPOL_EXTRACTORS } from './extract/netpol';
import { DNS_NAMES, type DnsNames } from '../syscall/dns-names';
import { CONTAINER_EXTRACTORS, K8SMETA_EXTRACTORS, MESOS_EXTRACTORS, USER_EXTRACTORS } from './extract/identity';
import { ANCESTOR_READERS, PROC_EXTRACTORS, ancestorCandidates } from './extract/proc';
import { FieldCatalogue, type FieldReference } from './lookup';
import type { SyscallFieldInfo } from './types';

const EXTRACTORS: Record<string, ExtractorFactory> = {
  ...EVT_EXTRACTORS,
  ...PROC_EXTRACTORS,
  ...FD_EXTRACTORS,
  ...FSPATH_EXTRACTORS,
  ...USER_EXTRACTORS,
  ...CONTAINER_EXTRACTORS,
  ...K8SMETA_EXTRACTORS,
  ...MESOS_EXTRACTORS,
  ...NETPOL_EXTRACTORS,
};

/** Compiler type of an event parameter type, for `evt.rawarg.<name>`. */
function paramFieldType(pt: number): CompilerFieldType {
  switch (pt) {
    case PT.INT8: return 'int8';
    case PT.INT16: return 'int16';
    case PT.INT32: return 'int32';
    case PT.INT64: return 'int64';
    case PT.UINT8: return 'uint8';
    case PT.UINT16: return 'uint16';
    case PT.UINT32: return 'uint32';
    case PT.UINT64: return 'uint64';
    case PT.ERRNO: return 'errno';
    case PT.FD:
    case PT.FD32: return 'fd';
    case PT.PID:
    case PT.PID32: return 'pid';
    case PT.UID: return 'uid';
    case PT.GID: return 'gid';
    case PT.MODE: return 'mode';
    case PT.FLAGS8:
    case PT.FLAGS16:
    case PT.FLAGS32:
    case PT.ENUMFLAGS8:
    case PT.ENUMFLAGS16:
    case PT.ENUMFLAGS32: return 'flags';
    case PT.SIGTYPE: return 'sigtype';
    case PT.SYSCALLID: return 'syscallid';
    case PT.L4PROTO: return 'l4proto';
    case PT.PORT: return 'port';
    case PT.RELTIME: return 'reltime';
    case PT.ABSTIME: return 'abstime';
    case PT.DOUBLE: return 'double';
    case PT.BOOL: return 'bool';
    case PT.FSPATH: return 'fspath';
    case PT.FSRELPATH: return 'fsrelpath';
    case PT.IPV4ADDR: return 'ipv4addr';
    case PT.IPV6ADDR: return 'ipv6addr';
    case PT.IPADDR: return 'ipaddr';
    case PT.IPV4NET: return 'ipv4net';
    case PT.IPV6NET: return 'ipv6net';
    case PT.IPNET: return 'ipnet';
    case PT.BYTEBUF: return 'bytebuf';
    default: return 'charbuf';
  }
}

/** Type of the first parameter with this name anywhere in the event table, as libsinsp resolves it. */
function rawArgType(name: string): CompilerFieldType | undefined {
  for (const e of EVENT_TABLE) {
    for (const p of e.params) if (p[0] === name) return paramFieldType(p[1]);
  }
  return undefined;
}

function argRule(info: SyscallFieldInfo): CompilerArgRule {
  const a = info.arg;
  if (a.rule === 'none') return { kind: 'none' };
  const form = a.index && a.key ? 'any' : a.index ? 'index' : 'key';
  return { kind: a.rule, form };
}

/** Fields used without an argument that test several candidates (any one may satisfy a check). */
const ANY_OF: Record<string, { type: CompilerFieldType; candidates: (e: SyscallEvent) => readonly FieldScalar[] | undefined }> = {
  'fd.ip': { type: 'ipaddr', candidates: fdAddresses },
  'fd.net': { type: 'ipnet', candidates: fdAddresses },
  'fd.port': { type: 'port', candidates: fdPorts },
};

export class SyscallFieldRegistry implements FieldRegistry<SyscallEvent> {
  readonly catalogue: FieldCatalogue;
  private readonly resolved = new Map<string, FieldDefinition<SyscallEvent> | { error: string } | undefined>();

  /**
   * `dns` is the name cache of the `fd.*ip.name` fields (the process-wide one unless a test or a
   * host supplies its own resolver).
   */
  constructor(
    catalogue = new FieldCatalogue(SYSCALL_FIELDS),
    private readonly dns: DnsNames = DNS_NAMES,
  ) {
    this.catalogue = catalogue;
  }

  get(name: string): FieldDefinition<SyscallEvent> | undefined {
    const r = this.resolve(name, undefined);
    return r === undefined || 'error' in r ? undefined : r;
  }

  resolve(name: string, arg: string | undefined): FieldDefinition<SyscallEvent> | { error: string } | undefined {
    const cacheKey = arg === undefined ? name : `${name}\u0000${arg}`;
    if (this.resolved.has(cacheKey)) return this.resolved.get(cacheKey);
    const result = this.build(name, arg);
    this.resolved.set(cacheKey, result);
    return result;
  }

  /** The extractor of a field reference, for output formatting (`%proc.aname[2]`). */
  extractor(name: string, arg?: string): Extract | undefined {
    const r = this.resolve(name, arg);
    return r === undefined || 'error' in r ? undefined : (e) => r.extract(e, arg);
  }

  private build(name: string, arg: string | undefined): FieldDefinition<SyscallEvent> | { error: string } | undefined {
    const r = this.catalogue.lookup(name, arg);
    if (!r.ok) return r.reason === 'unknown' ? undefined : { error: r.message };
    const ref = r.ref;
    const info = ref.info;
    const dnsPick = DNS_NAME_FIELDS[info.name];
    const factory = EXTRACTORS[info.name];
    if (factory === undefined && dnsPick === undefined) throw new Error(`syscall fields: no extractor for ${info.name}`);
    const extract = dnsPick !== undefined ? dnsNameExtractor(this.dns, dnsPick) : factory!(ref);
    let type: CompilerFieldType;
    if (info.type === 'dynamic') {
      const t = rawArgType(ref.key ?? '');
      if (t === undefined) return { error: `unknown event argument ${ref.key ?? ''}` };
      type = t;
    } else {
      type = info.type;
    }
    const def: FieldDefinition<SyscallEvent> = {
      name,
      type,
      list: info.flags.list && ref.index === undefined,
      arg: argRule(info),
      description: info.description,
      // The extractor already has its argument bound; the compiler's second argument is ignored.
      extract,
    };
    const custom = this.customCheck(ref);
    if (custom !== undefined) def.customCheck = custom;
    return def;
  }

  private customCheck(ref: FieldReference): FieldDefinition<SyscallEvent>['customCheck'] {
    const name = ref.info.name;
    const dnsPick = DNS_NAME_FIELDS[name];
    if (dnsPick !== undefined) return dnsNameCheck(this.dns, dnsPick);
    if (name === 'evt.around') return (check) => aroundCheck(ref.arg, check.values);
    if (ref.arg === undefined && ANCESTOR_READERS[name] !== undefined) {
      const type = ref.info.type === 'int64' ? 'int64' : 'charbuf';
      return anyOfCheck<SyscallEvent>(type, ancestorCandidates(ANCESTOR_READERS[name]!));
    }
    const any = ANY_OF[name];
    if (any !== undefined) return anyOfCheck<SyscallEvent>(any.type, any.candidates, true);
    return undefined;
  }
}

/** The registry of every `syscall` source field. */
export const syscallFieldRegistry = new SyscallFieldRegistry();
