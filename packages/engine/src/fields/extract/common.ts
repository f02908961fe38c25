/** Shared pieces of the field extractors. */
import type { FieldValue } from '@falco-ts/filter-lang';
import type { SyscallEvent } from '../event';
import type { FieldReference } from '../lookup';

/** A field extractor with its argument already bound. */
export type Extract = (e: SyscallEvent) => FieldValue;

/** Builds the extractor of one field reference (its argument parsed by the lookup). */
export type ExtractorFactory = (ref: FieldReference) => Extract;

/**
 * Memoises an extractor per event: fields that build strings or walk the process tree are computed
 * once per event however many rules read them. Keyed by the event view and its event number, so no
 * reset is needed, and two sources sharing one registry (each with its own reusable event view)
 * never read each other's values.
 */
export function perEvent(fn: Extract): Extract {
  let atView: SyscallEvent | undefined;
  let at = -1;
  let value: FieldValue;
  return (e) => {
    if (e.num !== at || e !== atView) {
      value = fn(e);
      at = e.num;
      atView = e;
    }
    return value;
  };
}

export const missing: Extract = () => undefined;

/** Capability names by bit number, as libsinsp prints thread.cap_* sets. */
export const CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

export function capabilityNames(set: bigint): string {
  let out = '';
  for (let bit = 0; bit < CAPABILITIES.length; bit++) {
    if ((set >> BigInt(bit)) & 1n) out = out === '' ? CAPABILITIES[bit]! : `${out} ${CAPABILITIES[bit]!}`;
  }
  return out;
}
