/**
 * Kinds of file descriptors the state model tracks, with the text (`fd.type`) and the character
 * (`fd.typechar`) Falco reports for each, and the event flags the state model reads.
 */
import { FLAG_TABLES } from '@falco-ts/driver';

export enum FdKind {
  Unknown = 0,
  File,
  Directory,
  Ipv4,
  Ipv6,
  Unix,
  Pipe,
  Event,
  Signal,
  Eventpoll,
  Inotify,
  Timer,
  Netlink,
  Bpf,
  Userfault,
  IoUring,
  Memfd,
  Pidfd,
}

const TYPE_NAMES: readonly string[] = [
  '<NA>',
  'file',
  'directory',
  'ipv4',
  'ipv6',
  'unix',
  'pipe',
  'event',
  'signalfd',
  'eventpoll',
  'inotify',
  'timerfd',
  'netlink',
  'bpf',
  'userfaultfd',
  'io_uring',
  'memfd',
  'pidfd',
];

// Index order matches FdKind.
const CHARS: readonly string[] = ['o', 'f', 'd', '4', '6', 'u', 'p', 'e', 's', 'l', 'i', 't', 'n', 'b', 'u', 'r', 'm', 'P'];
export function fdTypeName(kind: FdKind): string {
  return TYPE_NAMES[kind] ?? '<NA>';
}

export function fdTypeChar(kind: FdKind): string {
  return CHARS[kind] ?? 'o';
}

export function isSocketKind(kind: FdKind): boolean {
  return kind === FdKind.Ipv4 || kind === FdKind.Ipv6 || kind === FdKind.Unix || kind === FdKind.Netlink;
}

/** A flag's value from the driver's generated tables (the upstream PPM_* definitions). */
function flag(table: string, name: string): number {
  const entry = FLAG_TABLES[table]?.entries.find(([n]) => n === name);
  if (entry === undefined) throw new Error(`flag table ${table} has no ${name}`);
  return entry[1];
}

/** PPM_O_* open flags as carried in events. */
export const PPM_O = {
  RDONLY: flag('file_flags', 'O_RDONLY'),
  WRONLY: flag('file_flags', 'O_WRONLY'),
  RDWR: flag('file_flags', 'O_RDWR'),
  CREAT: flag('file_flags', 'O_CREAT'),
  APPEND: flag('file_flags', 'O_APPEND'),
  DSYNC: flag('file_flags', 'O_DSYNC'),
  EXCL: flag('file_flags', 'O_EXCL'),
  NONBLOCK: flag('file_flags', 'O_NONBLOCK'),
  SYNC: flag('file_flags', 'O_SYNC'),
  TRUNC: flag('file_flags', 'O_TRUNC'),
  DIRECT: flag('file_flags', 'O_DIRECT'),
  DIRECTORY: flag('file_flags', 'O_DIRECTORY'),
  LARGEFILE: flag('file_flags', 'O_LARGEFILE'),
  CLOEXEC: flag('file_flags', 'O_CLOEXEC'),
  TMPFILE: flag('file_flags', 'O_TMPFILE'),
  F_CREATED: flag('file_flags', 'O_F_CREATED'),
  FD_UPPER_LAYER: flag('file_flags', 'FD_UPPER_LAYER'),
  FD_LOWER_LAYER: flag('file_flags', 'FD_LOWER_LAYER'),
} as const;

/** PPM_CL_* clone flags. */
export const PPM_CL = {
  CLONE_FILES: flag('clone_flags', 'CLONE_FILES'),
  CLONE_FS: flag('clone_flags', 'CLONE_FS'),
  CLONE_NEWPID: flag('clone_flags', 'CLONE_NEWPID'),
  CLONE_PARENT: flag('clone_flags', 'CLONE_PARENT'),
  CLONE_THREAD: flag('clone_flags', 'CLONE_THREAD'),
  CLONE_VM: flag('clone_flags', 'CLONE_VM'),
  CHILD_IN_PIDNS: flag('clone_flags', 'CLONE_CHILD_IN_PIDNS'),
} as const;

/** PPM_EXE_* flags of execve exit events. */
export const PPM_EXE = {
  WRITABLE: flag('execve_flags', 'EXE_WRITABLE'),
  UPPER_LAYER: flag('execve_flags', 'EXE_UPPER_LAYER'),
  FROM_MEMFD: flag('execve_flags', 'EXE_FROM_MEMFD'),
  LOWER_LAYER: flag('execve_flags', 'EXE_LOWER_LAYER'),
} as const;

/** The dirfd value meaning "relative to the current directory". */
export const AT_FDCWD = -100;
