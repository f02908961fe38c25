/**
 * Where the libsinsp of Falco 0.42 (libs 0.22, which this project follows) knowingly renders a
 * field differently from the libsinsp of early 2022 that sysdig 0.29 embeds. A difference matching
 * one of these is counted as known, not as disagreement; docs/conformance-notes.md gives the libs
 * source of each.
 */
/** What the capture let sysdig 0.29 know about one exit event. */
export interface EventContext {
  /** The event uses a descriptor 0.29 took from its enter event, and the capture has none before it. */
  readonly fdFromMissingEnter: boolean;
  /** No execve enter event so far: 0.29 built proc.exepath from that event's filename. */
  readonly noExecveEnters: boolean;
  /** The thread (or an ancestor) changed ids through a set*id exit without its enter event. */
  readonly staleIds: boolean;
  /** The process changed directory through an fchdir exit without its enter event. */
  readonly staleCwd: boolean;
  /** A thread that is not its process's main thread. */
  readonly isThread: boolean;
  /** The thread or one of its ancestors lost its parent (exited) and was reparented. */
  readonly reparented: boolean;
  /** A call that creates a descriptor failed: libsinsp of 2022 kept the thread's previous one. */
  readonly failedCreate: boolean;
  /** Our value of another field of the same line. */
  ours(field: string): string | undefined;
}

/** A path with runs of slashes made one, as modern libs' concatenate_paths leaves it. */
function singleSlashes(text: string): string {
  return text.replace(/\/{2,}/g, '/');
}

/**
 * Flag lists that differ only by names 0.29's flag tables lack (O_F_CREATED, CLONE_CHILD_IN_PIDNS,
 * ...): the same value, 0.29's names a subset of ours.
 */
function fewerFlagNames(ours: string, theirs: string): boolean {
  const split = (t: string): [string, string[]] | undefined => {
    const m = /^([^(]*\()?([A-Z0-9_|]+)\)?$/.exec(t);
    return m === null ? undefined : [m[1] ?? '', m[2]!.split('|')];
  };
  const a = split(ours);
  const b = split(theirs);
  if (a === undefined || b === undefined || a[0] !== b[0] || b[1].length >= a[1].length) return false;
  return b[1].every((n) => a[1].includes(n));
}

/** `name=value` items of an evt.args text (values may hold spaces). */
function argItems(text: string): string[] {
  return text.trimEnd().split(/ (?=[a-z_0-9]+=)/);
}

/** Whether every parameter 0.29 printed is ours too, allowing for the renamed and re-typed ones. */
function sameLeadingArgs(ours: string, theirs: string): boolean {
  const a = argItems(ours);
  const b = argItems(theirs);
  if (b.length > a.length) return false;
  return b.every((item, i) => item === a[i] || singleSlashes(item) === a[i] || fewerFlagNames(a[i]!, item) || (item.startsWith('pgid=') && a[i] === `v${item}`) || (item === 'loginuid=-1' && a[i] === 'loginuid=4294967295'));
}

/** Fields naming a process's ancestors. */
function isAncestry(field: string): boolean {
  return field === 'proc.ppid' || field === 'proc.pname' || field === 'proc.pcmdline' || field === 'proc.sname' || field.startsWith('proc.aname') || field.startsWith('proc.apid');
}

/** The field one generation closer: what an ancestry field reads when the thread itself is taken for its parent. */
function oneCloser(field: string): string | undefined {
  if (field === 'proc.pname' || field === 'proc.aname[1]') return 'proc.name';
  if (field === 'proc.pcmdline') return 'proc.cmdline';
  if (field === 'proc.apid[1]') return 'proc.pid';
  const m = /^proc\.(aname|apid)\[(\d+)\]$/.exec(field);
  if (m === null) return undefined;
  const n = Number(m[2]);
  return n === 2 ? (m[1] === 'aname' ? 'proc.pname' : 'proc.ppid') : `proc.${m[1]}[${n - 1}]`;
}

export interface KnownDifference {
  readonly why: string;
  /** True when this difference explains `ours` vs `theirs` for `field` of an event of `type` (sysdig's name). */
  matches(type: string, field: string, ours: string, theirs: string, context: EventContext): boolean;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    why: 'exit-only captures (modern drivers send no enter events for these calls): 0.29 took the descriptor of a close, fcntl, read... and the domain and type of a socket from the enter event; modern libs read them from the exit event',
    matches: (_type, field, _ours, _theirs, c) => c.fdFromMissingEnter && (field.startsWith('fd.') || field === 'evt.arg.fd' || field === 'evt.args'),
  },
  {
    why: 'a failed open, socket or accept: 0.29 kept the descriptor the thread used before; modern libs reset it at the enter event (sinsp_parser::reset) and name none',
    matches: (_type, field, _ours, _theirs, c) => c.failedCreate && field.startsWith('fd.') && c.ours('fd.num') === '-1',
  },
  {
    why: 'flag names modern flag tables have and 0.29\'s lack (O_F_CREATED on an open that created the file, CLONE_CHILD_IN_PIDNS...)',
    matches: (_type, field, ours, theirs) => field === 'evt.arg.flags' && fewerFlagNames(ours, theirs),
  },
  {
    why: 'paths joined from a directory descriptor and a relative name: 0.29 kept the doubled slash (//etc), modern libs\' concatenate_paths makes it one',
    matches: (_type, field, ours, theirs) => theirs.includes('//') && singleSlashes(theirs) === ours && (field.startsWith('fd.') || field.startsWith('evt.arg')),
  },
  {
    why: 'exit-only captures: 0.29 built proc.exepath from the execve enter event; modern libs take the exit event\'s trusted_exepath',
    matches: (_type, field, _ours, _theirs, c) => c.noExecveEnters && (field === 'proc.exepath'),
  },
  {
    why: 'exit-only captures: 0.29 took the ids of setuid, setgid, setresuid... from the enter event; modern libs from the exit event',
    matches: (_type, field, _ours, _theirs, c) => c.staleIds && (field.startsWith('user.') || field.startsWith('group.')),
  },
  {
    why: 'exit-only captures: 0.29 took the descriptor of fchdir from the enter event, so its working directory stays the old one; modern libs read the exit event',
    matches: (_type, field, _ours, _theirs, c) => c.staleCwd && field === 'proc.cwd',
  },
  {
    why: 'threads: 0.29 made the calling thread the parent of a thread it cloned, so a thread\'s ancestry starts with its own process; modern libs give a thread its process\'s parent',
    matches: (_type, field, _ours, theirs, c) => c.isThread && isAncestry(field) && oneCloser(field) !== undefined && c.ours(oneCloser(field)!) === theirs,
  },
  {
    why: 'orphans: modern libs reparent the children of an exiting process to the reaper the procexit event names (a child subreaper or the namespace init); 0.29 lost the parent',
    matches: (_type, field, _ours, _theirs, c) => c.reparented && isAncestry(field),
  },
  {
    why: 'the process table\'s unset login uid (4294967295): modern libs print -1 and no login name, 0.29 reading this table layout prints 0 and root',
    matches: (_type, field, ours, theirs) => (field === 'user.loginuid' && ours === '-1' && theirs === '0') || (field === 'user.loginname' && ours === '<NA>' && theirs === 'root'),
  },
  {
    why: 'threads cloned by clone3: 0.29 decodes the gid of this (then new) event with the next parameter\'s bytes above its 32 bits, and keeps it',
    matches: (_type, field, ours, theirs) => field === 'group.gid' && /^\d+$/.test(ours) && /^\d+$/.test(theirs) && BigInt(theirs) >= 4294967296n && BigInt(theirs) % 4294967296n === BigInt(ours),
  },
  {
    why: 'accept4 exits: libs of 2022 named the event accept, modern libs accept4',
    matches: (_type, field, ours, theirs) => field === 'evt.type' && theirs === 'accept' && ours === 'accept4',
  },
  {
    why: 'mmap/mmap2 exits: modern libs attach the descriptor the folded enter event named',
    matches: (type, field) => (type === 'mmap' || type === 'mmap2') && field.startsWith('fd.'),
  },
  {
    why: 'socket exits: modern libs set the transport protocol when the socket is created, 0.29 once it is connected',
    matches: (type, field) => type === 'socket' && field === 'fd.l4proto',
  },
  {
    why: 'connect exits: 0.29 leaves the role of a connect in progress unset and guesses server for loopback peers; modern libs mark the connecting side as the client',
    matches: (type, field) => type === 'connect' && field === 'fd.is_server',
  },
  {
    why: 'evt.num: modern libs number the events that leave the converter (the enter events it folds into exits are not counted) and count event types newer than 0.29\'s table, which 0.29 skips',
    matches: (_type, field) => field === 'evt.num',
  },
  {
    why: 'exit events of modern layouts carry parameters that 0.29 had only on the enter event (close fd, openat flags and mode, execve filename, socket domain), so 0.29 prints <NA> for them on the exit',
    matches: (_type, field, ours, theirs) => field.startsWith('evt.arg.') && theirs === '<NA>' && ours !== '<NA>',
  },
  {
    why: 'evt.args: modern event tables append parameters after those 0.29 knows (clone pidns_init_start_ts, execve trusted_exepath...), name execve\'s vpgid (0.29: pgid) and print its loginuid unsigned',
    matches: (_type, field, ours, theirs) => field === 'evt.args' && theirs.trimEnd() !== '' && sameLeadingArgs(ours, theirs),
  },
];

export function knownDifference(type: string, field: string, ours: string, theirs: string, context: EventContext): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(type, field, ours, theirs, context));
}
