/**
 * Named syscall sets for live capture. The engine computes the exact set from its loaded rules;
 * these are the defaults for tools (`scap capture`) and the benchmark.
 */

/** What the process/fd/user state model needs to stay correct, whatever the rules say. */
export const STATE_SYSCALLS: readonly string[] = [
  'execve', 'execveat', 'clone', 'clone3', 'fork', 'vfork', 'sched_process_exit',
  'open', 'openat', 'openat2', 'creat', 'close', 'dup', 'dup2', 'dup3', 'pipe', 'pipe2', 'fcntl',
  'socket', 'socketpair', 'connect', 'accept', 'accept4', 'bind', 'listen',
  'chdir', 'fchdir', 'setuid', 'setgid', 'setresuid', 'setresgid', 'setreuid', 'setregid', 'capset',
  'setns', 'unshare', 'prctl', 'memfd_create', 'userfaultfd', 'io_uring_setup',
];

/** Syscalls that conditions in falcosecurity/rules 5.1.0 name (`evt.type` comparisons). */
export const RULES_5_1_SYSCALLS: readonly string[] = [
  'accept', 'accept4', 'bpf', 'chmod', 'connect', 'creat', 'dup', 'dup2', 'dup3', 'execve', 'execveat',
  'fchmod', 'fchmodat', 'finit_module', 'init_module', 'link', 'linkat', 'listen', 'mkdir', 'mkdirat',
  'open', 'openat', 'openat2', 'ptrace', 'recvfrom', 'recvmsg', 'rename', 'renameat', 'renameat2', 'rmdir',
  'sendmsg', 'sendto', 'setns', 'setuid', 'socket', 'symlink', 'symlinkat', 'unlink', 'unlinkat', 'unshare',
  'userfaultfd',
];

/** High-volume data-path calls, off unless a rule names them. */
export const DATA_SYSCALLS: readonly string[] = ['sendto', 'sendmsg', 'recvfrom', 'recvmsg'];

/** State syscalls plus the rules' syscalls, without the data path. */
export const DEFAULT_LIVE_SYSCALLS: readonly string[] = [...new Set([...STATE_SYSCALLS, ...RULES_5_1_SYSCALLS])].filter(
  (n) => !DATA_SYSCALLS.includes(n),
);
