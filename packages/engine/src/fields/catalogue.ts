/**
 * The catalogue of syscall fields: every field a Falco rule can name for the `syscall` source.
 * Names, types, flags and argument rules follow libsinsp (Falco 0.42, with the additions of 0.44)
 * and the container plugin that Falco loads by default (`container.*`, `k8s.*` and the
 * `proc.is_container_*` fields). Descriptions are this project's own.
 *
 * Each entry is written as `[name, type, spec, description]`, where `spec` is a space-separated
 * list of words:
 *   list            the field returns several values
 *   filter | print | table   filter-only, output-only, table-only
 *   deprecated | no-rhs | no-transformer
 *   arg=required|optional    the field takes an argument …
 *   idx | key       … that is a number (`[2]`) and/or a name (`[HOME]`)
 *   dot             … that may also be written after a dot (`evt.arg.fd`)
 *   dot-only        … that may only be written after a dot (`evt.type.is.open`)
 */
import type {
  FieldArgSpec,
  FieldClass,
  FieldClassName,
  FieldFlags,
  FieldType,
  SyscallFieldInfo,
} from './types';

type Entry = readonly [name: string, type: FieldType, spec: string, description: string];

export const FIELD_CLASSES: readonly FieldClass[] = [
  { name: 'evt', title: 'evt', description: 'Fields every event has, whatever its source.' },
  {
    name: 'evt.syscall',
    title: 'evt (for system calls)',
    description:
      'Event fields of system call events. Most syscall parameters are also reachable by name through evt.arg, e.g. evt.arg.flags.',
  },
  {
    name: 'process',
    title: 'process',
    description: 'The process and thread that made the system call, and its ancestors.',
  },
  { name: 'user', title: 'user', description: 'The user the thread runs as.' },
  { name: 'group', title: 'group', description: 'The group the thread runs as.' },
  {
    name: 'container',
    title: 'container',
    description:
      "The container the thread runs in. On the host, container.id and container.name are 'host'. Values other than the id come from the container runtime and may lag a new container by a moment.",
  },
  {
    name: 'fd',
    title: 'fd',
    description: 'The file descriptor the system call operates on (for calls that use or create one).',
  },
  {
    name: 'fs.path',
    title: 'fs.path',
    description: 'The filesystem paths a system call operates on, including calls that take no descriptor (unlink, rename, …).',
  },
  {
    name: 'fdlist',
    title: 'fdlist',
    description: 'The descriptors listed in the fds argument of poll and ppoll.',
  },
  {
    name: 'k8s',
    title: 'k8s',
    description:
      "The Kubernetes pod of the container and the objects around it. k8s.pod.name, k8s.pod.uid and k8s.ns.name come from the container runtime's labels; labels, the namespace, the controllers and services come from the API server (or a k8s-metacollector) when the k8smeta plugin entry is configured.",
  },
  {
    name: 'k8smeta',
    title: 'k8smeta',
    description:
      'The fields of the k8smeta plugin: the pod of the container, its namespace, controllers and services, as the API server (or a k8s-metacollector) describes them. Read only when the k8smeta plugin entry is configured.',
  },
  {
    name: 'mesos',
    title: 'mesos',
    description: 'The Mesos task of the container, its framework, and the Marathon app and group that started it, from the mesos configuration section.',
  },
  {
    name: 'netpol',
    title: 'netpol',
    description:
      'The Kubernetes NetworkPolicy verdict of the flow an event starts: the exit of connect (any result), of accept, and of a UDP send to a new peer. Source and destination are the kernel tuple (a ClusterIP before DNAT); other events, and a detector without cluster data, read as missing. See docs/netpol.md.',
  },
];

const EVT: readonly Entry[] = [
  ['evt.num', 'uint64', '', 'Sequence number of the event.'],
  ['evt.time', 'charbuf', '', 'Time of the event as HH:MM:SS.nnnnnnnnn.'],
  ['evt.time.s', 'charbuf', '', 'Time of the event as HH:MM:SS.'],
  ['evt.time.iso8601', 'charbuf', '', 'Time of the event in ISO 8601 form with nanoseconds, in UTC.'],
  ['evt.datetime', 'charbuf', '', 'Date and time of the event with nanoseconds.'],
  ['evt.datetime.s', 'charbuf', '', 'Date and time of the event to the second.'],
  ['evt.rawtime', 'abstime', '', 'Time of the event in nanoseconds since the epoch.'],
  ['evt.rawtime.s', 'abstime', '', 'Whole seconds of evt.rawtime.'],
  ['evt.rawtime.ns', 'abstime', '', 'Nanosecond part of evt.rawtime.'],
  ['evt.reltime', 'reltime', '', 'Nanoseconds since the first event of the capture.'],
  ['evt.reltime.s', 'reltime', '', 'Whole seconds of evt.reltime.'],
  ['evt.reltime.ns', 'reltime', '', 'Nanosecond part of evt.reltime.'],
  ['evt.pluginname', 'charbuf', '', 'For events of a plugin source, the name of that plugin.'],
  ['evt.plugininfo', 'charbuf', '', 'For events of a plugin source, the plugin’s one-line summary of the event.'],
  ['evt.source', 'charbuf', '', 'Name of the event source (syscall, k8s_audit, …).'],
  ['evt.is_async', 'bool', '', 'true for events generated outside a system call (metadata, container events).'],
  ['evt.asynctype', 'charbuf', '', 'For asynchronous events, their kind (e.g. container).'],
  ['evt.hostname', 'charbuf', '', 'Host name of the machine, or the value of FALCO_HOSTNAME when set.'],
];

const EVT_SYSCALL: readonly Entry[] = [
  ['evt.latency', 'reltime', 'deprecated', 'Nanoseconds between the enter and exit events of the call.'],
  ['evt.latency.s', 'reltime', 'deprecated', 'Whole seconds of evt.latency.'],
  ['evt.latency.ns', 'reltime', 'deprecated', 'Nanosecond part of evt.latency.'],
  ['evt.latency.quantized', 'uint64', 'table deprecated', 'Base-10 logarithm of evt.latency.'],
  ['evt.latency.human', 'charbuf', 'deprecated', 'evt.latency written for people (e.g. 10.3ms).'],
  ['evt.deltatime', 'reltime', '', 'Nanoseconds since the previous event.'],
  ['evt.deltatime.s', 'reltime', '', 'Whole seconds of evt.deltatime.'],
  ['evt.deltatime.ns', 'reltime', '', 'Nanosecond part of evt.deltatime.'],
  ['evt.outputtime', 'charbuf', 'print', 'Event time in the format chosen for output.'],
  [
    'evt.dir',
    'charbuf',
    'deprecated',
    "Direction: '>' for enter events, '<' for exit events. Since enter events are folded into exit events, conditions on it are mostly constant.",
  ],
  ['evt.type', 'charbuf', '', 'Event name, usually the system call name (open, execve, …).'],
  ['evt.type.is', 'uint32', 'arg=required key dot-only', '1 when the event has the type named after the dot (evt.type.is.open), else 0.'],
  ['syscall.type', 'charbuf', '', 'The system call name, for system call events only.'],
  ['evt.category', 'charbuf', '', 'Event category: file, net, memory, process, …'],
  ['evt.cpu', 'int16', '', 'CPU the event happened on.'],
  ['evt.args', 'charbuf', '', 'All parameters of the event as name=value pairs.'],
  [
    'evt.arg',
    'charbuf',
    'arg=required idx key dot',
    'One parameter, by name after a dot (evt.arg.fd) or by position in brackets (evt.arg[0]), rendered as text (descriptors and errors resolved).',
  ],
  [
    'evt.rawarg',
    'dynamic',
    'arg=required key dot-only no-rhs no-transformer',
    'One parameter by name (evt.rawarg.res), with the type and raw value of that parameter.',
  ],
  ['evt.info', 'charbuf', '', 'Same as evt.args.'],
  ['evt.buffer', 'bytebuf', '', 'The data buffer of I/O events (read, write, sendto, …).'],
  ['evt.buflen', 'uint64', '', 'Length of the data buffer of I/O events.'],
  ['evt.res', 'charbuf', '', "Result of the call: 'SUCCESS', or the error name (ENOENT, …)."],
  ['evt.rawres', 'int64', '', 'Result of the call as a number (negative errno on failure).'],
  ['evt.failed', 'bool', '', 'true when the call returned an error.'],
  ['evt.is_io', 'bool', '', 'true for calls that read or write a descriptor.'],
  ['evt.is_io_read', 'bool', '', 'true for calls that read from a descriptor.'],
  ['evt.is_io_write', 'bool', '', 'true for calls that write to a descriptor.'],
  ['evt.io_dir', 'charbuf', '', "'r' for reading calls, 'w' for writing calls."],
  ['evt.is_wait', 'bool', '', 'true for calls that make the thread wait (sleep, poll, select, …).'],
  ['evt.wait_latency', 'reltime', 'deprecated', 'For waiting calls, nanoseconds spent waiting.'],
  ['evt.is_syslog', 'bool', '', 'true for writes to /dev/log.'],
  ['evt.count', 'uint32', '', 'Always 1; useful for counting.'],
  ['evt.count.error', 'uint32', '', '1 for events that failed.'],
  ['evt.count.error.file', 'uint32', '', '1 for failed file events.'],
  ['evt.count.error.net', 'uint32', '', '1 for failed network events.'],
  ['evt.count.error.memory', 'uint32', '', '1 for failed memory events.'],
  ['evt.count.error.other', 'uint32', '', '1 for failed events of any other category.'],
  ['evt.count.exit', 'uint32', '', '1 for exit events.'],
  ['evt.count.procinfo', 'uint32', 'table', '1 for process information events of main threads.'],
  ['evt.count.threadinfo', 'uint32', 'table', '1 for process information events.'],
  [
    'evt.around',
    'uint64',
    'filter arg=required idx no-rhs no-transformer',
    'Matches events within D milliseconds of time T: evt.around[T]=D, T being an evt.rawtime value.',
  ],
  ['evt.abspath', 'charbuf', 'arg=required key dot-only', 'Absolute path built from a dirfd and a relative name; evt.abspath.src and evt.abspath.dst for two-path calls.'],
  ['evt.buflen.in', 'uint64', 'table', 'evt.buflen of reading calls.'],
  ['evt.buflen.out', 'uint64', 'table', 'evt.buflen of writing calls.'],
  ['evt.buflen.file', 'uint64', 'table', 'evt.buflen of file I/O.'],
  ['evt.buflen.file.in', 'uint64', 'table', 'evt.buflen of file reads.'],
  ['evt.buflen.file.out', 'uint64', 'table', 'evt.buflen of file writes.'],
  ['evt.buflen.net', 'uint64', 'table', 'evt.buflen of network I/O.'],
  ['evt.buflen.net.in', 'uint64', 'table', 'evt.buflen of network reads.'],
  ['evt.buflen.net.out', 'uint64', 'table', 'evt.buflen of network writes.'],
  ['evt.is_open_read', 'bool', '', 'true for open-family calls that open for reading.'],
  ['evt.is_open_write', 'bool', '', 'true for open-family calls that open for writing.'],
  ['evt.infra.docker.name', 'charbuf', 'table', 'For Docker infrastructure events, the event name.'],
  ['evt.infra.docker.container.id', 'charbuf', 'table', 'For Docker infrastructure events, the container id.'],
  ['evt.infra.docker.container.name', 'charbuf', 'table', 'For Docker infrastructure events, the container name.'],
  ['evt.infra.docker.container.image', 'charbuf', 'table', 'For Docker infrastructure events, the container image.'],
  ['evt.is_open_exec', 'bool', '', 'true for open-family and creat calls that create a file with execute permission.'],
  ['evt.is_open_create', 'bool', '', 'true for open-family calls that create the file.'],
];

const ANCESTOR = 'arg=optional idx no-rhs no-transformer';

const PROCESS: readonly Entry[] = [
  ['proc.exe', 'charbuf', '', 'argv[0] of the process (usually, but not always, the program name).'],
  ['proc.pexe', 'charbuf', '', 'proc.exe of the parent.'],
  ['proc.aexe', 'charbuf', ANCESTOR, 'proc.exe of the N-th ancestor (proc.aexe[1] is the parent); without an index, any ancestor matches.'],
  ['proc.exepath', 'charbuf', '', 'Full path of the executable file, symlinks resolved.'],
  ['proc.pexepath', 'charbuf', '', 'proc.exepath of the parent.'],
  ['proc.aexepath', 'charbuf', ANCESTOR, 'proc.exepath of the N-th ancestor; without an index, any ancestor matches.'],
  ['proc.name', 'charbuf', '', 'Process name (the kernel comm, at most 15 characters).'],
  ['proc.pname', 'charbuf', '', 'proc.name of the parent.'],
  ['proc.aname', 'charbuf', ANCESTOR, 'proc.name of the N-th ancestor (proc.aname[0] is the process itself); without an index, any ancestor matches.'],
  ['proc.args', 'charbuf', 'arg=optional idx', 'Command-line arguments after argv[0], space-separated; proc.args[N] is the N-th of them.'],
  ['proc.aargs', 'charbuf', ANCESTOR, 'proc.args of the N-th ancestor; without an index, any ancestor matches.'],
  ['proc.cmdline', 'charbuf', '', 'proc.name followed by proc.args.'],
  ['proc.pcmdline', 'charbuf', '', 'proc.cmdline of the parent.'],
  ['proc.acmdline', 'charbuf', ANCESTOR, 'proc.cmdline of the N-th ancestor; without an index, any ancestor matches.'],
  ['proc.cmdnargs', 'uint64', '', 'Number of command-line arguments after argv[0].'],
  ['proc.cmdlenargs', 'uint64', '', 'Total length of the arguments after argv[0], separators excluded.'],
  ['proc.exeline', 'charbuf', '', 'proc.exe followed by proc.args.'],
  ['proc.env', 'charbuf', 'arg=optional key', 'Environment as NAME=value pairs separated by spaces; proc.env[NAME] is the value of one variable.'],
  [
    'proc.aenv',
    'charbuf',
    'arg=optional idx key no-rhs no-transformer',
    'Environment of ancestors: proc.aenv[N] for the N-th, proc.aenv[NAME] for the nearest ancestor that sets NAME; without an argument, any ancestor matches.',
  ],
  ['proc.cwd', 'charbuf', '', 'Current working directory of the thread.'],
  ['proc.loginshellid', 'int64', '', 'pid of the eldest shell among the ancestors, if any.'],
  ['proc.tty', 'uint32', '', 'Controlling terminal device number, 0 when there is none.'],
  ['proc.pid', 'int64', '', 'Process id (thread group id).'],
  ['proc.ppid', 'int64', '', 'Parent process id.'],
  ['proc.apid', 'int64', ANCESTOR, 'pid of the N-th ancestor; without an index, any ancestor matches.'],
  ['proc.vpid', 'int64', '', 'Process id inside its pid namespace.'],
  ['proc.pvpid', 'int64', '', 'Parent process id inside its pid namespace.'],
  ['proc.sid', 'int64', '', 'Session id.'],
  ['proc.sname', 'charbuf', '', 'Name of the session leader.'],
  ['proc.sid.exe', 'charbuf', '', 'proc.exe of the session leader.'],
  ['proc.sid.exepath', 'charbuf', '', 'proc.exepath of the session leader.'],
  ['proc.vpgid', 'int64', '', 'Process group id inside the pid namespace.'],
  ['proc.vpgid.name', 'charbuf', '', 'Name of the process group leader.'],
  ['proc.vpgid.exe', 'charbuf', '', 'proc.exe of the process group leader.'],
  ['proc.vpgid.exepath', 'charbuf', '', 'proc.exepath of the process group leader.'],
  ['proc.pgid', 'int64', '', 'Process group id as seen from the host.'],
  ['proc.pgid.name', 'charbuf', '', 'Name of the process group leader (host view).'],
  ['proc.pgid.exe', 'charbuf', '', 'proc.exe of the process group leader (host view).'],
  ['proc.pgid.exepath', 'charbuf', '', 'proc.exepath of the process group leader (host view).'],
  ['proc.duration', 'reltime', '', 'Nanoseconds since the process started.'],
  ['proc.ppid.duration', 'reltime', '', 'Nanoseconds since the parent started.'],
  ['proc.pid.ts', 'reltime', '', 'Start time of the process, nanoseconds since the epoch.'],
  ['proc.ppid.ts', 'reltime', '', 'Start time of the parent, nanoseconds since the epoch.'],
  ['proc.is_exe_writable', 'bool', '', 'true when the executable file is writable by the user who started the process.'],
  ['proc.is_exe_upper_layer', 'bool', '', 'true when the executable file is in the upper layer of an overlay filesystem.'],
  ['proc.is_exe_lower_layer', 'bool', '', 'true when the executable file is in a lower layer of an overlay filesystem.'],
  ['proc.is_exe_from_memfd', 'bool', '', 'true when the executable is an in-memory file made with memfd_create.'],
  ['proc.is_sid_leader', 'bool', '', 'true when the process leads its session (proc.sid = proc.vpid).'],
  ['proc.is_vpgid_leader', 'bool', '', 'true when the process leads its process group (proc.vpgid = proc.vpid).'],
  ['proc.is_pgid_leader', 'bool', '', 'true when the process leads its process group (host view).'],
  ['proc.exe_ino', 'int64', '', 'Inode number of the executable file.'],
  ['proc.exe_ino.ctime', 'abstime', '', 'Status-change time of the executable file, ns since the epoch.'],
  ['proc.exe_ino.mtime', 'abstime', '', 'Modification time of the executable file, ns since the epoch.'],
  ['proc.exe_ino.ctime_duration_proc_start', 'abstime', '', 'Nanoseconds from the executable’s ctime to the process start.'],
  ['proc.exe_ino.ctime_duration_pidns_start', 'abstime', '', 'Nanoseconds from the pid namespace start to the executable’s ctime, when the namespace is older.'],
  ['proc.pidns_init_start_ts', 'uint64', '', 'Start time of the pid namespace’s init process, ns since the epoch.'],
  ['thread.cap_permitted', 'charbuf', '', 'Permitted capability set, as capability names.'],
  ['thread.cap_inheritable', 'charbuf', '', 'Inheritable capability set, as capability names.'],
  ['thread.cap_effective', 'charbuf', '', 'Effective capability set, as capability names.'],
  ['proc.is_container_healthcheck', 'bool', '', 'true when the process runs as the container’s health check.'],
  ['proc.is_container_liveness_probe', 'bool', '', 'true when the process runs as the container’s liveness probe.'],
  ['proc.is_container_readiness_probe', 'bool', '', 'true when the process runs as the container’s readiness probe.'],
  ['proc.fdopencount', 'uint64', '', 'Number of descriptors the process has open.'],
  ['proc.fdlimit', 'int64', '', 'Maximum number of descriptors the process may open.'],
  ['proc.fdusage', 'double', '', 'proc.fdopencount divided by proc.fdlimit.'],
  ['proc.vmsize', 'uint64', '', 'Virtual memory size of the process, in kB.'],
  ['proc.vmrss', 'uint64', '', 'Resident memory of the process, in kB.'],
  ['proc.vmswap', 'uint64', '', 'Swapped-out memory of the process, in kB.'],
  ['thread.pfmajor', 'uint64', '', 'Major page faults since the thread started.'],
  ['thread.pfminor', 'uint64', '', 'Minor page faults since the thread started.'],
  ['thread.tid', 'int64', '', 'Thread id.'],
  ['thread.ismain', 'bool', '', 'true for the main thread of the process.'],
  ['thread.vtid', 'int64', '', 'Thread id inside its pid namespace.'],
  ['thread.nametid', 'charbuf', 'table', 'proc.name and thread.tid joined, an identifier of a thread per exec.'],
  ['thread.exectime', 'reltime', '', 'On a context switch (`switch` event): the time since the previous context switch on the same CPU, i.e. the slice that just ended (0 for the first switch of a CPU). 0 on every other event. Only captures recorded with scheduler events contain switches; the live eBPF driver (Falco\'s and this one) emits none.'],
  ['thread.totexectime', 'reltime', '', 'The sum of thread.exectime over the thread\'s own context switches so far (0 when the capture has none).'],
  ['thread.cgroups', 'charbuf', '', 'All cgroups of the thread as subsystem=path pairs.'],
  ['thread.cgroup', 'charbuf', 'arg=required key dot', 'Cgroup path of the thread for one subsystem (thread.cgroup.cpuacct).'],
  ['proc.nthreads', 'uint64', '', 'Number of live threads of the process, the leader included.'],
  ['proc.nchilds', 'uint64', '', 'Number of live threads of the process other than the leader.'],
  ['thread.cpu', 'double', '', 'On a `procinfo` event (a periodic per-thread CPU sample that some capture drivers record): the growth of the thread\'s user plus system CPU ticks since its previous sample, capped at 100; 0 for its first sample. No value on other events, and none live: the eBPF drivers emit no procinfo events.'],
  ['thread.cpu.user', 'double', '', 'As thread.cpu, for user CPU ticks only.'],
  ['thread.cpu.system', 'double', '', 'As thread.cpu, for system CPU ticks only.'],
  ['thread.vmsize', 'uint64', '', 'For the main thread, proc.vmsize; 0 for other threads.'],
  ['thread.vmrss', 'uint64', '', 'For the main thread, proc.vmrss; 0 for other threads.'],
  ['thread.vmsize.b', 'uint64', 'table', 'thread.vmsize in bytes.'],
  ['thread.vmrss.b', 'uint64', 'table', 'thread.vmrss in bytes.'],
  ['proc.stdin.type', 'charbuf', '', 'fd.type of descriptor 0.'],
  ['proc.stdout.type', 'charbuf', '', 'fd.type of descriptor 1.'],
  ['proc.stderr.type', 'charbuf', '', 'fd.type of descriptor 2.'],
  ['proc.stdin.name', 'charbuf', '', 'fd.name of descriptor 0.'],
  ['proc.stdout.name', 'charbuf', '', 'fd.name of descriptor 1.'],
  ['proc.stderr.name', 'charbuf', '', 'fd.name of descriptor 2.'],
];

const USER: readonly Entry[] = [
  ['user.uid', 'uint32', '', 'User id.'],
  ['user.name', 'charbuf', '', 'User name.'],
  ['user.homedir', 'charbuf', '', 'Home directory of the user.'],
  ['user.shell', 'charbuf', '', 'Login shell of the user.'],
  ['user.loginuid', 'int64', '', 'Audit login user id (auid); -1 when unset.'],
  ['user.loginname', 'charbuf', '', 'Name of the audit login user.'],
];

const GROUP: readonly Entry[] = [
  ['group.gid', 'uint32', '', 'Group id.'],
  ['group.name', 'charbuf', '', 'Group name.'],
];

const FD_NET = 'filter no-rhs no-transformer';

const FD: readonly Entry[] = [
  ['fd.num', 'int64', '', 'Descriptor number.'],
  ['fd.type', 'charbuf', '', 'Descriptor kind: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, bpf, userfaultfd, io_uring, memfd, …'],
  ['fd.typechar', 'charbuf', '', "Descriptor kind as one character: f file, 4 ipv4, 6 ipv6, u unix, p pipe, e eventfd, s signalfd, l eventpoll, i inotify, t timerfd, n netlink, b bpf, r io_uring, m memfd, o other."],
  ['fd.name', 'charbuf', '', 'Full name: the absolute path of a file, or the connection tuple of a socket.'],
  ['fd.directory', 'charbuf', '', 'For files, the directory holding the file.'],
  ['fd.filename', 'charbuf', '', 'For files, the name without its directory.'],
  ['fd.ip', 'ipaddr', FD_NET, 'Matches the client or the server address.'],
  ['fd.cip', 'ipaddr', '', 'Client address.'],
  ['fd.sip', 'ipaddr', '', 'Server address.'],
  ['fd.lip', 'ipaddr', '', 'Local address.'],
  ['fd.rip', 'ipaddr', '', 'Remote address.'],
  ['fd.port', 'port', FD_NET, 'Matches the client or the server port.'],
  ['fd.cport', 'port', '', 'Client port.'],
  ['fd.sport', 'port', '', 'Server port.'],
  ['fd.lport', 'port', '', 'Local port.'],
  ['fd.rport', 'port', '', 'Remote port.'],
  ['fd.l4proto', 'charbuf', '', 'Transport protocol of a socket: tcp, udp, icmp or raw.'],
  ['fd.sockfamily', 'charbuf', '', 'Socket family: ip or unix.'],
  ['fd.is_server', 'bool', '', 'true when this process is the server end of the connection.'],
  ['fd.uid', 'charbuf', '', 'Descriptor number and thread id joined, unique per descriptor.'],
  ['fd.containername', 'charbuf', '', 'Container id and fd.name joined.'],
  ['fd.containerdirectory', 'charbuf', '', 'Container id and fd.directory joined.'],
  ['fd.proto', 'port', FD_NET, 'Matches the client or the server protocol.'],
  ['fd.cproto', 'charbuf', '', 'Client protocol.'],
  ['fd.sproto', 'charbuf', '', 'Server protocol.'],
  ['fd.lproto', 'charbuf', '', 'Local protocol.'],
  ['fd.rproto', 'charbuf', '', 'Remote protocol.'],
  ['fd.net', 'ipnet', FD_NET, 'Matches the network of the client or the server address.'],
  ['fd.cnet', 'ipnet', FD_NET, 'Matches the network of the client address.'],
  ['fd.snet', 'ipnet', FD_NET, 'Matches the network of the server address.'],
  ['fd.lnet', 'ipnet', FD_NET, 'Matches the network of the local address.'],
  ['fd.rnet', 'ipnet', FD_NET, 'Matches the network of the remote address.'],
  ['fd.connected', 'bool', '', 'For TCP/UDP sockets, true when connected.'],
  ['fd.name_changed', 'bool', '', 'true when this event changed the descriptor’s name (e.g. a UDP tuple).'],
  ['fd.cip.name', 'charbuf', 'no-rhs no-transformer', 'A name of the client address, from the names that conditions compare fd.*ip.name with: the first (in byte order) whose resolution includes the address. No value until such a comparison resolved a matching name; there are no reverse (PTR) lookups. `=`, `!=` and `in` on a not yet named address resolve the compared names instead.'],
  ['fd.sip.name', 'charbuf', 'no-rhs no-transformer', 'As fd.cip.name, for the server address.'],
  ['fd.lip.name', 'charbuf', 'no-rhs no-transformer', 'As fd.cip.name, for the local address.'],
  ['fd.rip.name', 'charbuf', 'no-rhs no-transformer', 'As fd.cip.name, for the remote address.'],
  ['fd.dev', 'int32', '', 'Device number of the filesystem holding the file.'],
  ['fd.dev.major', 'int32', '', 'Major part of fd.dev.'],
  ['fd.dev.minor', 'int32', '', 'Minor part of fd.dev.'],
  ['fd.ino', 'int64', '', 'Inode number of the file.'],
  ['fd.nameraw', 'charbuf', '', 'For files, the path as the program gave it, not made absolute.'],
  ['fd.types', 'charbuf', 'list arg=optional idx no-rhs', 'The distinct fd.type values of the process’s open descriptors; fd.types[N] for descriptor N.'],
  ['fd.is_upper_layer', 'bool', '', 'true when the file is in the upper layer of an overlay filesystem.'],
  ['fd.is_lower_layer', 'bool', '', 'true when the file is in a lower layer of an overlay filesystem.'],
];

const FS_PATH: readonly Entry[] = [
  ['fs.path.name', 'charbuf', '', 'The path the call operates on, made absolute with the thread’s cwd.'],
  ['fs.path.nameraw', 'charbuf', '', 'The path the call operates on, as given to it.'],
  ['fs.path.source', 'charbuf', '', 'For two-path calls (rename, link, …), the absolute source path.'],
  ['fs.path.sourceraw', 'charbuf', '', 'For two-path calls, the source path as given.'],
  ['fs.path.target', 'charbuf', '', 'For two-path calls, the absolute target path.'],
  ['fs.path.targetraw', 'charbuf', '', 'For two-path calls, the target path as given.'],
];

const FDLIST: readonly Entry[] = [
  ['fdlist.nums', 'charbuf', '', 'Descriptor numbers in the fds argument, comma-separated.'],
  ['fdlist.names', 'charbuf', '', 'Descriptor names in the fds argument, comma-separated.'],
  ['fdlist.cips', 'charbuf', '', 'Client addresses of the descriptors in the fds argument, comma-separated.'],
  ['fdlist.sips', 'charbuf', '', 'Server addresses of the descriptors in the fds argument, comma-separated.'],
  ['fdlist.cports', 'charbuf', '', 'Client ports of the descriptors in the fds argument, comma-separated.'],
  ['fdlist.sports', 'charbuf', '', 'Server ports of the descriptors in the fds argument, comma-separated.'],
];

const MOUNT = 'arg=required idx key';
const LABEL = 'arg=required key dot';

const CONTAINER: readonly Entry[] = [
  ['container.id', 'charbuf', '', "Container id, the first 12 characters, taken from the thread's cgroups; 'host' outside containers."],
  ['container.full_id', 'charbuf', '', 'Full container id.'],
  ['container.name', 'charbuf', '', "Container name; 'host' outside containers."],
  ['container.image', 'charbuf', '', 'Image name with tag (e.g. busybox:latest).'],
  ['container.image.id', 'charbuf', '', 'Image id.'],
  ['container.type', 'charbuf', '', 'Container runtime kind: docker, containerd, cri-o, podman, lxc, rkt, …'],
  ['container.privileged', 'bool', '', 'true for privileged containers.'],
  ['container.mounts', 'charbuf', '', 'All mounts as source:dest:mode:rdwr:propagation items, comma-separated.'],
  ['container.mount', 'charbuf', MOUNT, "One mount by position (container.mount[0]) or by source path or glob; 'none' when none matches."],
  ['container.mount.source', 'charbuf', MOUNT, 'Source of one mount, by position or by destination path.'],
  ['container.mount.dest', 'charbuf', MOUNT, 'Destination of one mount, by position or by source path.'],
  ['container.mount.mode', 'charbuf', MOUNT, 'Mode of one mount, by position or by source path.'],
  ['container.mount.rdwr', 'charbuf', MOUNT, 'Read-write flag of one mount, by position or by source path.'],
  ['container.mount.propagation', 'charbuf', MOUNT, 'Propagation of one mount, by position or by source path.'],
  ['container.image.repository', 'charbuf', '', 'Image repository (e.g. falcosecurity/falco).'],
  ['container.image.tag', 'charbuf', '', 'Image tag.'],
  ['container.image.digest', 'charbuf', '', 'Image registry digest.'],
  ['container.healthcheck', 'charbuf', '', "Health check command line; 'NONE' when explicitly disabled."],
  ['container.liveness_probe', 'charbuf', '', 'Liveness probe command line.'],
  ['container.readiness_probe', 'charbuf', '', 'Readiness probe command line.'],
  ['container.start_ts', 'abstime', '', 'Container start time (its pid namespace start), ns since the epoch.'],
  ['container.duration', 'reltime', '', 'Nanoseconds since container.start_ts.'],
  ['container.ip', 'charbuf', '', 'Primary IPv4 address of the container.'],
  ['container.cni.json', 'charbuf', '', 'The CNI result of the pod, as JSON text.'],
  ['container.host_pid', 'bool', '', 'true when the container shares the host pid namespace.'],
  ['container.host_network', 'bool', '', 'true when the container shares the host network namespace.'],
  ['container.host_ipc', 'bool', '', 'true when the container shares the host IPC namespace.'],
  ['container.label', 'charbuf', LABEL, 'One container label by name (container.label[app] or container.label.app).'],
  ['container.labels', 'charbuf', '', 'All container labels as key:value pairs, comma-separated.'],
];

const K8S: readonly Entry[] = [
  ['k8s.pod.name', 'charbuf', '', 'Pod name.'],
  ['k8s.ns.name', 'charbuf', '', 'Namespace name.'],
  ['k8s.pod.id', 'charbuf', '', 'Pod UID (legacy name of k8s.pod.uid).'],
  ['k8s.pod.uid', 'charbuf', '', 'Pod UID.'],
  ['k8s.pod.sandbox_id', 'charbuf', '', 'Pod sandbox id, first 12 characters.'],
  ['k8s.pod.full_sandbox_id', 'charbuf', '', 'Full pod sandbox id.'],
  ['k8s.pod.label', 'charbuf', LABEL, 'One pod label by name (k8s.pod.label[app] or k8s.pod.label.app).'],
  ['k8s.pod.labels', 'charbuf', '', 'All pod labels as key:value pairs, comma-separated.'],
  ['k8s.pod.ip', 'charbuf', '', 'Pod IPv4 address.'],
  ['k8s.pod.cni.json', 'charbuf', '', 'The CNI result of the pod, as JSON text.'],
  ['k8s.rc.name', 'charbuf', '', 'Replication controller name.'],
  ['k8s.rc.id', 'charbuf', '', 'Replication controller UID.'],
  ['k8s.rc.label', 'charbuf', LABEL, 'One replication controller label by name.'],
  ['k8s.rc.labels', 'charbuf', '', 'Replication controller labels as key:value pairs, comma-separated.'],
  ['k8s.svc.name', 'charbuf', '', 'Names of the services selecting the pod, joined by ", " when there are several.'],
  ['k8s.svc.id', 'charbuf', '', 'UIDs of the services selecting the pod, joined by ", ".'],
  ['k8s.svc.label', 'charbuf', LABEL, 'One label of the services selecting the pod, their values joined by ", ".'],
  ['k8s.svc.labels', 'charbuf', '', 'Labels of the services selecting the pod as key:value pairs, comma-separated.'],
  ['k8s.ns.id', 'charbuf', '', 'Namespace UID.'],
  ['k8s.ns.label', 'charbuf', LABEL, 'One namespace label by name.'],
  ['k8s.ns.labels', 'charbuf', '', 'Namespace labels as key:value pairs, comma-separated.'],
  ['k8s.rs.name', 'charbuf', '', 'Replica set name.'],
  ['k8s.rs.id', 'charbuf', '', 'Replica set UID.'],
  ['k8s.rs.label', 'charbuf', LABEL, 'One replica set label by name.'],
  ['k8s.rs.labels', 'charbuf', '', 'Replica set labels as key:value pairs, comma-separated.'],
  ['k8s.deployment.name', 'charbuf', '', 'Deployment name (the owner of the pod\'s replica set).'],
  ['k8s.deployment.id', 'charbuf', '', 'Deployment UID.'],
  ['k8s.deployment.label', 'charbuf', LABEL, 'One deployment label by name (k8s.deployment.label[app] or k8s.deployment.label.app).'],
  ['k8s.deployment.labels', 'charbuf', '', 'Deployment labels as key:value pairs, comma-separated.'],
];

// The k8smeta plugin's fields: label arguments in brackets only, labels and services as lists.
const K8SMETA_LABEL = 'arg=required key';
const K8SMETA: readonly Entry[] = [
  ['k8smeta.pod.name', 'charbuf', '', 'Pod name.'],
  ['k8smeta.pod.uid', 'charbuf', '', 'Pod UID.'],
  ['k8smeta.pod.label', 'charbuf', K8SMETA_LABEL, 'One pod label by name (k8smeta.pod.label[app]).'],
  ['k8smeta.pod.labels', 'charbuf', 'list', 'Pod labels, each as key:value.'],
  ['k8smeta.pod.ip', 'charbuf', '', 'Pod IP address.'],
  ['k8smeta.ns.name', 'charbuf', '', 'Namespace name.'],
  ['k8smeta.ns.uid', 'charbuf', '', 'Namespace UID.'],
  ['k8smeta.ns.label', 'charbuf', K8SMETA_LABEL, 'One namespace label by name.'],
  ['k8smeta.ns.labels', 'charbuf', 'list', 'Namespace labels, each as key:value.'],
  ['k8smeta.deployment.name', 'charbuf', '', 'Deployment name.'],
  ['k8smeta.deployment.uid', 'charbuf', '', 'Deployment UID.'],
  ['k8smeta.deployment.label', 'charbuf', K8SMETA_LABEL, 'One deployment label by name.'],
  ['k8smeta.deployment.labels', 'charbuf', 'list', 'Deployment labels, each as key:value.'],
  ['k8smeta.svc.name', 'charbuf', 'list', 'Names of the services selecting the pod.'],
  ['k8smeta.svc.uid', 'charbuf', 'list', 'UIDs of the services selecting the pod.'],
  ['k8smeta.svc.label', 'charbuf', `${K8SMETA_LABEL} list`, 'The value of one label on each service selecting the pod that has it.'],
  ['k8smeta.svc.labels', 'charbuf', 'list', 'Labels of the services selecting the pod, each as key:value.'],
  ['k8smeta.rs.name', 'charbuf', '', 'Replica set name.'],
  ['k8smeta.rs.uid', 'charbuf', '', 'Replica set UID.'],
  ['k8smeta.rs.label', 'charbuf', K8SMETA_LABEL, 'One replica set label by name.'],
  ['k8smeta.rs.labels', 'charbuf', 'list', 'Replica set labels, each as key:value.'],
  ['k8smeta.rc.name', 'charbuf', '', 'Replication controller name.'],
  ['k8smeta.rc.uid', 'charbuf', '', 'Replication controller UID.'],
  ['k8smeta.rc.label', 'charbuf', K8SMETA_LABEL, 'One replication controller label by name.'],
  ['k8smeta.rc.labels', 'charbuf', 'list', 'Replication controller labels, each as key:value.'],
];

const NETPOL: readonly Entry[] = [
  ['netpol.verdict', 'charbuf', '', "The flow's verdict: 'denied' when the source's egress or the destination's ingress denies it, 'indeterminate' when either depends on the network plugin, else 'allowed'."],
  ['netpol.policies', 'charbuf', 'list', 'The deciding policies of both directions, as namespace/name.'],
  ['netpol.direction', 'charbuf', '', "'egress' when the event's process is the flow's source (connect, send), 'ingress' when it is the destination (accept)."],
  ['netpol.egress.verdict', 'charbuf', '', "The source pod's egress verdict: allowed, denied or indeterminate."],
  ['netpol.egress.reason', 'charbuf', '', 'Why: not-a-pod, not-isolated, allowed-by-policy, no-rule-matches, loopback, host-network or service-backends.'],
  ['netpol.egress.policies', 'charbuf', 'list', 'Egress policies that decided: those that allowed the flow, or every policy isolating the source when denied.'],
  ['netpol.ingress.verdict', 'charbuf', '', "The destination pod's ingress verdict: allowed, denied or indeterminate."],
  ['netpol.ingress.reason', 'charbuf', '', 'Why: not-a-pod, not-isolated, allowed-by-policy, no-rule-matches, own-node, loopback, host-network or service-backends.'],
  ['netpol.ingress.policies', 'charbuf', 'list', 'Ingress policies that decided: those that allowed the flow, or every policy isolating the destination when denied.'],
  ['netpol.local.kind', 'charbuf', '', "What the event's own end is: pod, node, external or loopback."],
  ['netpol.local.name', 'charbuf', '', "The event's own end: namespace/name of a pod, a node name, or the address."],
  ['netpol.peer.kind', 'charbuf', '', 'What the other end is: pod, service (a ClusterIP), node, external or loopback.'],
  ['netpol.peer.name', 'charbuf', '', 'The other end: namespace/name of a pod or Service, a node name, or the address.'],
  ['netpol.peer.namespace', 'charbuf', '', 'Namespace of the other end, when it is a pod or a Service.'],
  [
    'netpol.peer.listed',
    'bool',
    '',
    "Whether a rule of any policy selecting the event's own pod (either direction, ports aside) names the peer; missing when no policy selects the pod.",
  ],
];

const MESOS: readonly Entry[] = [
  ['mesos.task.name', 'charbuf', '', 'Mesos task name.'],
  ['mesos.task.id', 'charbuf', '', 'Mesos task id.'],
  ['mesos.task.label', 'charbuf', LABEL, 'One Mesos task label by name (mesos.task.label[foo] or mesos.task.label.foo).'],
  ['mesos.task.labels', 'charbuf', '', 'Mesos task labels as key:value pairs, comma-separated.'],
  ['mesos.framework.name', 'charbuf', '', 'Mesos framework name.'],
  ['mesos.framework.id', 'charbuf', '', 'Mesos framework id.'],
  ['marathon.app.name', 'charbuf', '', 'Marathon app name (the last part of its id).'],
  ['marathon.app.id', 'charbuf', '', 'Marathon app id (/group/app).'],
  ['marathon.app.label', 'charbuf', LABEL, 'One Marathon app label by name (marathon.app.label[foo] or marathon.app.label.foo).'],
  ['marathon.app.labels', 'charbuf', '', 'Marathon app labels as key:value pairs, comma-separated.'],
  ['marathon.group.name', 'charbuf', '', 'Marathon group of the app (its path, /shop for /shop/web).'],
  ['marathon.group.id', 'charbuf', '', 'Marathon group id (its path).'],
];

const BY_CLASS: ReadonlyArray<readonly [FieldClassName, readonly Entry[]]> = [
  ['evt', EVT],
  ['evt.syscall', EVT_SYSCALL],
  ['process', PROCESS],
  ['user', USER],
  ['group', GROUP],
  ['container', CONTAINER],
  ['fd', FD],
  ['fs.path', FS_PATH],
  ['fdlist', FDLIST],
  ['k8s', K8S],
  ['k8smeta', K8SMETA],
  ['mesos', MESOS],
  ['netpol', NETPOL],
];

const SPEC_WORDS = new Set([
  'list',
  'filter',
  'print',
  'table',
  'deprecated',
  'no-rhs',
  'no-transformer',
  'arg=required',
  'arg=optional',
  'idx',
  'key',
  'dot',
  'dot-only',
]);

function parseSpec(name: string, spec: string): { arg: FieldArgSpec; flags: FieldFlags } {
  const words = new Set(spec.split(' ').filter((w) => w !== ''));
  for (const w of words) {
    if (!SPEC_WORDS.has(w)) throw new Error(`field catalogue: unknown spec word '${w}' for ${name}`);
  }
  const rule = words.has('arg=required') ? 'required' : words.has('arg=optional') ? 'optional' : 'none';
  const dotOnly = words.has('dot-only');
  const arg: FieldArgSpec = {
    rule,
    index: words.has('idx'),
    key: words.has('key'),
    dotted: dotOnly || words.has('dot'),
    bracket: rule !== 'none' && !dotOnly,
  };
  const flags: FieldFlags = {
    list: words.has('list'),
    filterOnly: words.has('filter'),
    printOnly: words.has('print'),
    tableOnly: words.has('table'),
    deprecated: words.has('deprecated'),
    noRhs: words.has('no-rhs'),
    noTransformer: words.has('no-transformer'),
  };
  return { arg, flags };
}

function build(): readonly SyscallFieldInfo[] {
  const out: SyscallFieldInfo[] = [];
  for (const [className, entries] of BY_CLASS) {
    for (const [name, type, spec, description] of entries) {
      out.push({ name, type, className, description, ...parseSpec(name, spec) });
    }
  }
  return Object.freeze(out);
}

/** Every syscall field, grouped by class in reference order. */
export const SYSCALL_FIELDS: readonly SyscallFieldInfo[] = build();
