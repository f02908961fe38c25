/**
 * The name cache behind `fd.cip.name`, `fd.sip.name`, `fd.lip.name` and `fd.rip.name`, built the
 * way libsinsp's DNS manager builds it: forward only. Names enter the cache when a condition
 * compares one of these fields with them (`fd.sip.name = example.com`); each is resolved with the
 * system resolver (all address families, as getaddrinfo with AF_UNSPEC) and its addresses are
 * kept. A field's value is then the name whose addresses include the descriptor's address — the
 * first in byte order when several do, as libsinsp's ordered map yields — and has no value when
 * no compared name resolves to it. Nothing is ever looked up in reverse (no PTR queries), so an
 * address that no rule mentions by name never gets a name, in Falco as here.
 *
 * A name is resolved synchronously the first time an event needs it (libsinsp does the same on
 * its event path); afterwards it is refreshed in the background, first after 10 s and then at
 * doubling intervals up to 320 s, libsinsp's timings. Names come only from loaded conditions, so
 * the cache is bounded by the rules; libsinsp's eviction of names unused for an hour is not needed.
 */
import type * as ChildProcess from 'node:child_process';
import type * as DnsPromises from 'node:dns/promises';
import { ipv6ToString } from '@falco-ts/driver';

/** Resolves names to their addresses (text, as inet_ntop writes them). */
export interface NameResolver {
  /** Blocking resolution for a name's first use; an empty list when the name does not resolve. */
  resolveNow(name: string): readonly string[];
  /** Background refresh; undefined keeps the previous addresses (a transient failure). */
  refresh(name: string): Promise<readonly string[] | undefined>;
}

const BASE_REFRESH_MS = 10_000;
const MAX_REFRESH_MS = 320_000;
/** How long a first resolution may block before the name counts as unresolved. */
const RESOLVE_TIMEOUT_MS = 5_000;

/** The system resolver: `getent ahosts` (NSS: /etc/hosts, then DNS) for the blocking first use. */
export const SYSTEM_RESOLVER: NameResolver = {
  resolveNow(name) {
    // A name that could be taken for an option never reaches getent.
    if (name === '' || name.startsWith('-')) return [];
    // Loaded on first use: most rule sets never compare these fields, and start-up pays for every module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require('node:child_process') as typeof ChildProcess;
    const r = spawnSync('getent', ['ahosts', name], { encoding: 'utf8', timeout: RESOLVE_TIMEOUT_MS });
    if (r.status !== 0 || typeof r.stdout !== 'string') return [];
    const out = new Set<string>();
    for (const line of r.stdout.split('\n')) {
      const addr = line.split(/\s+/, 1)[0];
      if (addr !== undefined && addr !== '') out.add(addr);
    }
    return [...out];
  },
  async refresh(name) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { lookup } = require('node:dns/promises') as typeof DnsPromises;
      const all = await lookup(name, { all: true, verbatim: true });
      return [...new Set(all.map((a) => a.address))];
    } catch (err) {
      const code = (err as { code?: string }).code;
      return code === 'ENOTFOUND' || code === 'ENODATA' ? [] : undefined;
    }
  },
};

interface NameEntry {
  addresses: ReadonlySet<string | number>;
  nextRefresh: number;
  interval: number;
  refreshing: boolean;
}

/** IPv4 addresses are keyed by their 32-bit value (no string per lookup), IPv6 ones by text. */
function keyOfText(addr: string): string | number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (m === null) return addr.toLowerCase();
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

function keyOfBytes(b: Uint8Array): string | number | undefined {
  if (b.length === 4) return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  if (b.length === 16) return ipv6ToString(b, 0);
  return undefined;
}

export class DnsNames {
  private readonly names = new Map<string, NameEntry>();
  /** Address → the names resolving to it, sorted (the first is the field's value). */
  private byAddress = new Map<string | number, string[]>();

  constructor(
    private readonly resolver: NameResolver = SYSTEM_RESOLVER,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `name` resolves to `addr` (resolving the name on its first use). */
  matches(name: string, addr: Uint8Array): boolean {
    const key = keyOfBytes(addr);
    if (key === undefined) return false;
    let entry = this.names.get(name);
    if (entry === undefined) {
      entry = {
        addresses: new Set(this.resolver.resolveNow(name).map(keyOfText)),
        nextRefresh: this.now() + BASE_REFRESH_MS,
        interval: BASE_REFRESH_MS,
        refreshing: false,
      };
      this.names.set(name, entry);
      this.reindex();
    } else {
      this.maybeRefresh(name, entry);
    }
    return entry.addresses.has(key);
  }

  /** The cached name of an address, if a compared name resolves to it. */
  nameOf(addr: Uint8Array): string | undefined {
    const key = keyOfBytes(addr);
    return key === undefined ? undefined : this.byAddress.get(key)?.[0];
  }

  /** The names cached so far (for diagnostics and tests). */
  cachedNames(): string[] {
    return [...this.names.keys()];
  }

  private maybeRefresh(name: string, entry: NameEntry): void {
    if (entry.refreshing || this.now() < entry.nextRefresh) return;
    entry.refreshing = true;
    this.resolver.refresh(name).then(
      (addresses) => {
        entry.refreshing = false;
        entry.interval = Math.min(entry.interval * 2, MAX_REFRESH_MS);
        entry.nextRefresh = this.now() + entry.interval;
        if (addresses === undefined) return;
        entry.addresses = new Set(addresses.map(keyOfText));
        this.reindex();
      },
      () => {
        entry.refreshing = false;
        entry.nextRefresh = this.now() + entry.interval;
      },
    );
  }

  private reindex(): void {
    const next = new Map<string | number, string[]>();
    for (const [name, entry] of this.names) {
      for (const a of entry.addresses) {
        const list = next.get(a);
        if (list === undefined) next.set(a, [name]);
        else list.push(name);
      }
    }
    for (const list of next.values()) list.sort();
    this.byAddress = next;
  }
}

/** The process-wide cache the syscall field registry uses (libsinsp's is a singleton too). */
export const DNS_NAMES = new DnsNames();
