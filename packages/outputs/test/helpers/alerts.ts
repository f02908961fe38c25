import type { Alert } from '@falco-ts/alert';
import { createAlert } from '@falco-ts/alert';

/** A realistic syscall alert; `i` makes rule output and id distinct. */
export function sampleAlert(i = 0, overrides: Partial<Alert> = {}): Alert {
  return {
    ...createAlert({
      rule: 'Read sensitive file untrusted',
      priority: 'Warning',
      source: 'syscall',
      hostname: 'test-host',
      output: `Sensitive file opened for reading by non-trusted program (file=/etc/shadow proc=cat seq=${i})`,
      tags: ['filesystem', 'mitre_credential_access', 'T1555'],
      outputFields: { 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'proc.pid': 4242 + i, 'evt.num': 10_000_000_000_000_000n + BigInt(i), 'container.id': null },
      timeNs: 1_726_240_940_545_718_604n + BigInt(i),
    }),
    ...overrides,
  };
}
