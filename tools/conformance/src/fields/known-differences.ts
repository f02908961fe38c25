/**
 * Where the libsinsp of Falco 0.42 (libs 0.22, which this project follows) knowingly renders a
 * field differently from the libsinsp of early 2022 that sysdig 0.29 embeds. A difference matching
 * one of these is counted as known, not as disagreement; docs/conformance-notes.md gives the libs
 * source of each.
 */
export interface KnownDifference {
  readonly why: string;
  /** True when this difference explains `ours` vs `theirs` for `field` of an event of `type` (sysdig's name). */
  matches(type: string, field: string, ours: string, theirs: string): boolean;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
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
    why: 'evt.args: modern layouts append parameters after those 0.29 knows (clone pidns_init_start_ts, execve trusted_exepath...)',
    matches: (_type, field, ours, theirs) => field === 'evt.args' && theirs.trimEnd() !== '' && ours.startsWith(theirs.trimEnd()),
  },
];

export function knownDifference(type: string, field: string, ours: string, theirs: string): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(type, field, ours, theirs));
}
