/**
 * Field-for-field comparison of one capture: every exit event as the engine's syscall source sees
 * it (state applied, fields rendered by the output formatter, exactly as `falco inspect -p`
 * prints them) against sysdig 0.29 reading the same file. Events are paired by timestamp and
 * thread id, in file order within a pair, so an event only one side produced is counted as
 * such and does not shift the rest.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EF, EVENT_TABLE, eventTypeName, openScap } from '@falco-ts/driver';
import { SyscallSource, compileFormat, type EventSource, type SyscallEvent } from '@falco-ts/engine';
import { knownDifference, type EventContext } from './known-differences';

const run = promisify(execFile);

/** Separates values on a line: a control character no rendered value contains. */
const SEP = '\x1f';
/** The pairing key printed first on each of sysdig's lines. */
const KEY_FORMAT = `%evt.rawtime${SEP}%thread.tid${SEP}%evt.type`;
/** Starts each of sysdig's records: values may hold newlines (a command line's arguments). */
const RS = '\x1e';

export interface FieldTally {
  compared: number;
  differing: number;
  /** Differences explained by a known difference between sysdig 0.29's libs and modern libs. */
  known: number;
  /** A few differing lines, for the report. */
  examples: string[];
}

export interface CaptureComparison {
  /** sysdig's exit events. */
  events: number;
  /** sysdig's exit events the engine did not produce (or produced under another time or thread). */
  missing: number;
  /** Exit events only the engine produced. */
  extra: number;
  fields: Map<string, FieldTally>;
}

const MAX_EXAMPLES = 3;

export async function compareCapture(file: string, fields: readonly string[]): Promise<CaptureComparison> {
  const [mine, theirs] = await Promise.all([engineLines(file, fields), sysdigLines(file, fields)]);
  const out: CaptureComparison = { events: 0, missing: 0, extra: 0, fields: new Map(fields.map((f) => [f, { compared: 0, differing: 0, known: 0, examples: [] }])) };
  for (const [key, rows] of theirs) {
    const ours = mine.get(key) ?? [];
    out.events += rows.length;
    out.missing += Math.max(0, rows.length - ours.length);
    rows.forEach((row, n) => {
      const m = ours[n];
      if (m === undefined) return;
      const type = row.type;
      fields.forEach((f, i) => {
        const t = out.fields.get(f)!;
        t.compared++;
        if (m.values[i] === row.values[i]) return;
        if (knownDifference(type, f, m.values[i]!, row.values[i]!, m.context!)) {
          t.known++;
          return;
        }
        t.differing++;
        if (t.examples.length < MAX_EXAMPLES) t.examples.push(`${key} ${type}: ours=${JSON.stringify(m.values[i])} sysdig=${JSON.stringify(row.values[i])}`);
      });
    });
  }
  for (const [key, rows] of mine) out.extra += Math.max(0, rows.length - (theirs.get(key)?.length ?? 0));
  return out;
}

interface Row {
  type: string;
  values: string[];
  /** What sysdig 0.29 could know of this event (engine rows only). */
  context?: EventContext;
}

/** `rawtime tid` -> the exit events with that key, in file order. */
type Lines = Map<string, Row[]>;

function add(lines: Lines, key: string, row: Row): void {
  const rows = lines.get(key);
  if (rows) rows.push(row);
  else lines.set(key, [row]);
}

/** Exit events whose descriptor libsinsp of 2022 took from the enter event (it uses, not creates, one). */
const FD_FROM_ENTER = Uint8Array.from(EVENT_TABLE, (e) => ((e.flags & EF.USES_FD) !== 0 && (e.flags & EF.CREATES_FD) === 0 ? 1 : 0));
const CREATES_FD = Uint8Array.from(EVENT_TABLE, (e) => ((e.flags & EF.CREATES_FD) !== 0 ? 1 : 0));
const SET_ID_CALLS = new Set(['setuid', 'setgid', 'setresuid', 'setresgid', 'setreuid', 'setregid']);
const CLONE_CALLS = new Set(['clone', 'clone3', 'fork', 'vfork']);

async function engineLines(file: string, fields: readonly string[]): Promise<Lines> {
  const src = new SyscallSource({ hostname: 'fidelity' });
  const format = compileFormat(fields.map((f) => `%${f}`).join(SEP), src as unknown as EventSource<SyscallEvent>);
  const reader = await openScap(file, { file });
  src.seedFromCapture(reader.state);
  const lines: Lines = new Map();
  // The previous event type of each thread: an exit right after its own enter had one.
  const lastType = new Map<number, number>();
  // Threads whose credentials changed through an exit event without its enter event, and their
  // descendants: 0.29 read the new ids from the enter event and kept the old ones.
  const staleIds = new Set<number>();
  const staleCwd = new Set<number>();
  // Each thread's parent as its clone named it, and the processes seen exiting.
  const clonedBy = new Map<number, number>();
  const exited = new Set<number>();
  const reparented = (tid: number): boolean => {
    for (let t: number | undefined = tid, n = 0; t !== undefined && n < 32; t = clonedBy.get(t), n++) if (exited.has(clonedBy.get(t) ?? -1)) return true;
    return false;
  };
  // Descriptors an enterless socket exit created: 0.29 never had them, so later events on them differ.
  const staleFds = new Set<string>();
  let execveEnters = false;
  try {
    for await (const batch of reader.batches()) {
      src.forEach(batch, (e) => {
        const v = e.view;
        const tid = v.tid;
        const previous = lastType.get(tid);
        lastType.set(tid, v.type);
        if (v.dir !== '<') {
          if (v.name === 'execve' || v.name === 'execveat') execveEnters = true;
          if (v.name === 'procexit') exited.add(tid);
          return;
        }
        const hadEnter = previous === v.type - 1;
        const pid = e.thread?.pid ?? tid;
        const res = v.nparams > 0 ? v.int(0) : -1;
        if (!hadEnter && SET_ID_CALLS.has(v.name) && res >= 0) staleIds.add(tid);
        if (!hadEnter && v.name === 'fchdir' && res >= 0) staleCwd.add(pid);
        if (CLONE_CALLS.has(v.name) && res > 0) {
          clonedBy.set(res, tid);
          if (staleIds.has(tid)) staleIds.add(res);
          if (staleCwd.has(pid)) staleCwd.add(res);
        }
        const values = format.render(e).split(SEP);
        if (res >= 0 && CREATES_FD[v.type] === 1) {
          if (!hadEnter && v.name === 'socket') staleFds.add(`${pid}:${res}`);
          else staleFds.delete(`${pid}:${res}`);
        }
        const fd = e.thread?.lastEventFd ?? -1;
        const context: EventContext = {
          fdFromMissingEnter: (!hadEnter && (FD_FROM_ENTER[v.type] === 1 || v.name === 'socket')) || (fd >= 0 && staleFds.has(`${pid}:${fd}`)),
          noExecveEnters: !execveEnters,
          staleIds: staleIds.has(tid),
          staleCwd: staleCwd.has(pid),
          isThread: pid !== tid,
          reparented: reparented(tid),
          failedCreate: res < 0 && CREATES_FD[v.type] === 1,
          ours: (f) => {
            const i = fields.indexOf(f);
            return i < 0 ? undefined : values[i];
          },
        };
        add(lines, `${e.ts} ${tid}`, { type: eventTypeName(v), values, context });
      });
    }
  } finally {
    reader.close();
  }
  return lines;
}

async function sysdigLines(file: string, fields: readonly string[]): Promise<Lines> {
  const format = `*${RS}${KEY_FORMAT}${SEP}${fields.map((f) => `%${f}`).join(SEP)}`;
  const { stdout } = await run('sysdig', ['-r', file, '-p', format, 'evt.dir=<'], { encoding: 'latin1', maxBuffer: 1 << 30 });
  const lines: Lines = new Map();
  for (const record of stdout.split(RS)) {
    if (record === '') continue;
    const parts = record.replace(/\n$/, '').split(SEP);
    const [ts, tid, type] = parts;
    add(lines, `${ts} ${tid}`, { type: type!, values: latin1ToUtf8(parts.slice(3)) });
  }
  return lines;
}

/** sysdig prints bytes; read as latin1 they are re-decoded as UTF-8 to compare with ours. */
function latin1ToUtf8(values: string[]): string[] {
  return values.map((v) => (/[^\x00-\x7f]/.test(v) ? Buffer.from(v, 'latin1').toString('utf8') : v));
}

/**
 * The fields sysdig 0.29 can print among `fields`: those `sysdig -l` lists (`evt.arg.NAME` through
 * `evt.arg`) that it accepts as display fields (it refuses filter-only ones such as `fd.net`, each
 * refusal naming the field) and renders as a value (0.29 prints a bare `%proc.aname` as a name
 * followed by the token's text).
 */
export async function sysdigDisplayable(file: string, fields: readonly string[]): Promise<{ ok: string[]; refused: Map<string, string> }> {
  const { stdout: list } = await run('sysdig', ['-l'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const known = new Set([...list.matchAll(/^([a-z][\w.]*\.[\w.]+)\s/gm)].map((m) => m[1]!));
  const refused = new Map<string, string>();
  const ok = fields.filter((f) => {
    const name = f.replace(/\[.*$/, '');
    if (known.has(name) || (name.startsWith('evt.arg.') && known.has('evt.arg'))) return true;
    refused.set(f, 'sysdig 0.29 has no such field');
    return false;
  });
  for (;;) {
    try {
      await run('sysdig', ['-r', file, '-n', '2000', '-p', '*' + ok.map((f) => `%${f}`).join(SEP), 'evt.dir=<'], { encoding: 'latin1', maxBuffer: 1 << 26 });
      break;
    } catch (e) {
      const text = String((e as { stderr?: string; stdout?: string }).stderr || (e as { stdout?: string }).stdout || e);
      const bad = ok.find((f) => text.includes(f) && !ok.some((g) => g !== f && g.startsWith(f) && text.includes(g)));
      if (bad === undefined) throw new Error(`sysdig refused the field list: ${text.trim().split('\n')[0]}`);
      const line = text.trim().split('\n')[0]!;
      refused.set(bad, `sysdig 0.29: ${line.slice(line.lastIndexOf(' is ') + 1)}`);
      ok.splice(ok.indexOf(bad), 1);
    }
  }
  const { stdout } = await run('sysdig', ['-r', file, '-n', '2000', '-p', '*' + ok.map((f) => `%${f}`).join(SEP), 'evt.dir=<'], { encoding: 'latin1', maxBuffer: 1 << 26 });
  const echoed = new Set<string>();
  for (const line of stdout.split('\n')) line.split(SEP).forEach((v, i) => ok[i] !== undefined && v.includes(ok[i]!) && echoed.add(ok[i]!));
  for (const f of echoed) refused.set(f, 'sysdig 0.29 prints the token as text (it needs an argument there)');
  return { ok: ok.filter((f) => !echoed.has(f)), refused };
}
