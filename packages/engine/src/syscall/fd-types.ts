/**
 * Kinds of file descriptors the state model tracks, with the text (`fd.type`) and the character
 * (`fd.typechar`) Falco reports for each.
 */
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

/** PPM_O_* open flags as carried in events. */
export const PPM_O = {
  RDONLY: 1,
  WRONLY: 2,
  RDWR: 3,
  CREAT: 4,
  APPEND: 8,
  DSYNC: 16,
  EXCL: 32,
  NONBLOCK: 64,
  SYNC: 128,
  TRUNC: 256,
  DIRECT: 512,
  DIRECTORY: 1024,
  LARGEFILE: 2048,
  CLOEXEC: 4096,
  TMPFILE: 8192,
  F_CREATED: 16384,
  FD_UPPER_LAYER: 32768,
  FD_LOWER_LAYER: 65536,
} as const;

/** PPM_CL_* clone flags. */
export const PPM_CL = {
  CLONE_FILES: 1,
  CLONE_FS: 2,
  CLONE_NEWPID: 64,
  CLONE_PARENT: 256,
  CLONE_THREAD: 8192,
  CLONE_VM: 32768,
  CHILD_IN_PIDNS: 1 << 29,
} as const;

/** PPM_EXE_* flags of execve exit events. */
export const PPM_EXE = { WRITABLE: 1, UPPER_LAYER: 2, FROM_MEMFD: 4, LOWER_LAYER: 8 } as const;

/** The dirfd value meaning "relative to the current directory". */
export const AT_FDCWD = -100;
