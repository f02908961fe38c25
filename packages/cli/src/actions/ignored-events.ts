/**
 * `-i`: the syscalls left out by default for performance, printed as Falco prints them. As in
 * libsinsp, those are the high-volume I/O syscalls (event category I/O read or write: read, write,
 * sendto, recvmsg, ...) that the process/fd state model does not itself need. The detector enables
 * one of them only when a loaded rule names it or with `base_syscalls.all`.
 */
import { EC, EVENT_TABLE, STATE_SYSCALLS, SYSCALLS_X86_64 } from '@falco-ts/driver';
import type { AppContext } from '../context';

/** Column of SYSCALLS_X86_64 holding the syscall's exit event type in the table. */
const EXIT_EVENT = 4;
const CATEGORY_ENUM_MASK = EC.SYSCALL - 1;

export function ignoredSyscalls(): string[] {
  const state = new Set(STATE_SYSCALLS);
  const out = new Set<string>();
  for (const row of SYSCALLS_X86_64) {
    const info = EVENT_TABLE[row[EXIT_EVENT]];
    if (!info) continue;
    const category = info.category & CATEGORY_ENUM_MASK;
    if ((category === EC.IO_READ || category === EC.IO_WRITE) && !state.has(row[1])) out.add(row[1]);
  }
  return [...out].sort();
}

export function printIgnoredEvents(ctx: AppContext): number {
  ctx.io.stdout(`Ignored syscall(s):\n${ignoredSyscalls().map((n) => `- ${n}\n`).join('')}\n`);
  return 0;
}
