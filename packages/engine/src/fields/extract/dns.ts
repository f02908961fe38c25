/**
 * `fd.cip.name`, `fd.sip.name`, `fd.lip.name`, `fd.rip.name`: the name cache's name for one of the
 * descriptor's addresses (see syscall/dns-names.ts), with libsinsp's comparison rule. A check
 * first takes the field's value; when the address has a cached name, the check compares that
 * name like any string. When it has none, `=`, `!=` and `in` instead resolve the names they
 * compare with and test whether one of them resolves to the address, which also puts those names
 * in the cache (so later events read them as values). Other operators find no value and fail
 * (libsinsp raises an evaluation error there). Descriptors that are not IP sockets with a known
 * role have no address, no value, and fail every check, `!=` included.
 */
import type { CustomCheck, FieldScalar } from '@falco-ts/filter-lang';
import { SocketRole, type FdInfo } from '../../syscall/fd-table';
import { FdKind } from '../../syscall/fd-types';
import type { DnsNames } from '../../syscall/dns-names';
import type { SyscallEvent } from '../event';
import { anyOfCheck } from '../any-of';
import type { Extract } from './common';

type AddressPick = (f: FdInfo) => Uint8Array | undefined;

const serverSide = (f: FdInfo): boolean => f.role === SocketRole.Server;

/** Which address each field names (client = source of the tuple, server = destination). */
export const DNS_NAME_FIELDS: Record<string, AddressPick> = {
  'fd.cip.name': (f) => f.sipBytes,
  'fd.sip.name': (f) => f.dipBytes,
  'fd.lip.name': (f) => (serverSide(f) ? f.dipBytes : f.sipBytes),
  'fd.rip.name': (f) => (serverSide(f) ? f.sipBytes : f.dipBytes),
};

function addressOf(e: SyscallEvent, pick: AddressPick): Uint8Array | undefined {
  const f = e.state.fdInfo;
  if (f === undefined || (f.kind !== FdKind.Ipv4 && f.kind !== FdKind.Ipv6) || f.role === SocketRole.None) return undefined;
  return pick(f);
}

export function dnsNameExtractor(dns: DnsNames, pick: AddressPick): Extract {
  return (e) => {
    const addr = addressOf(e, pick);
    return addr === undefined ? undefined : dns.nameOf(addr);
  };
}

export function dnsNameCheck(dns: DnsNames, pick: AddressPick): (check: CustomCheck) => (e: SyscallEvent) => boolean {
  return (check) => {
    // The cached name, compared as any string field would be (one reused candidate list).
    const named: FieldScalar[] = [''];
    const byValue = anyOfCheck<SyscallEvent>('charbuf', () => named)(check);
    const names = check.values;
    const op = check.modifier === undefined ? check.operator : '';
    return (e) => {
      const addr = addressOf(e, pick);
      if (addr === undefined) return false;
      const name = dns.nameOf(addr);
      if (name !== undefined) {
        named[0] = name;
        return byValue(e);
      }
      switch (op) {
        case '=':
        case '==':
          return names.length === 1 && dns.matches(names[0]!, addr);
        case '!=':
          return names.length === 1 && !dns.matches(names[0]!, addr);
        case 'in':
          for (const n of names) if (dns.matches(n, addr)) return true;
          return false;
        default:
          return false;
      }
    };
  };
}
