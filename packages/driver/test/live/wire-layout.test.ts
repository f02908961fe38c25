/**
 * The wire structs as the compiled BPF object describes them (its BTF) must match the offsets the
 * TypeScript decoder reads, so a change on one side cannot silently shift every field.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RECORD, RECORD_HEADER_SIZE, RECORD_PREFIX_SIZE, SCAP_HEADER_SIZE, EVENT_HEADER } from '../../src';

const OBJECT = path.join(__dirname, '..', '..', 'build', 'bpf', 'driver.bpf.o');

interface BtfStruct {
  size: number;
  members: Record<string, { offset: number; size?: number }>;
}

/** Structs of the object's BTF, from `bpftool btf dump ... format raw`. */
function btfStructs(): Map<string, BtfStruct> {
  const text = execFileSync('bpftool', ['btf', 'dump', 'file', OBJECT, 'format', 'raw'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = new Map<string, BtfStruct>();
  let current: BtfStruct | undefined;
  for (const line of text.split('\n')) {
    const head = /^\[\d+\] STRUCT '([^']+)' size=(\d+)/.exec(line);
    if (head) {
      current = { size: Number(head[2]), members: {} };
      out.set(head[1]!, current);
      continue;
    }
    const member = /^\t'([^']+)' type_id=\d+ bits_offset=(\d+)/.exec(line);
    if (member && current) current.members[member[1]!] = { offset: Number(member[2]) / 8 };
    else if (!line.startsWith('\t')) current = undefined;
  }
  return out;
}

describe('wire layout (BPF object BTF vs TypeScript constants)', () => {
  if (!fs.existsSync(OBJECT)) {
    it('needs the built BPF object', () => {
      throw new Error(`${OBJECT} is missing: run \`pnpm --filter @falco-ts/driver build\` first`);
    });
    return;
  }
  const structs = btfStructs();

  it('record prefix: u16 cpu, u16 reserved, u32 flags', () => {
    const p = structs.get('record_prefix')!;
    expect(p.size).toBe(RECORD_PREFIX_SIZE);
    expect(p.members.cpu!.offset).toBe(RECORD.CPU);
    expect(p.members.reserved!.offset).toBe(RECORD.RESERVED);
    expect(p.members.flags!.offset).toBe(RECORD.FLAGS);
  });

  it('scap event header: 26 packed bytes at the offsets the view reads', () => {
    const h = structs.get('scap_event_header')!;
    expect(h.size).toBe(SCAP_HEADER_SIZE);
    expect(RECORD_HEADER_SIZE).toBe(RECORD_PREFIX_SIZE + h.size);
    expect({ ts: h.members.ts!.offset, tid: h.members.tid!.offset, len: h.members.len!.offset, type: h.members.type!.offset, nparams: h.members.nparams!.offset }).toEqual({
      ts: EVENT_HEADER.TS,
      tid: EVENT_HEADER.TID,
      len: EVENT_HEADER.LEN,
      type: EVENT_HEADER.TYPE,
      nparams: EVENT_HEADER.NPARAMS,
    });
    expect(RECORD.TS - RECORD_PREFIX_SIZE).toBe(h.members.ts!.offset);
    expect(RECORD.PARAM_LENS).toBe(RECORD_HEADER_SIZE);
  });

  it('counters: five u64 the addon sums per CPU', () => {
    const c = structs.get('driver_counters')!;
    expect(Object.keys(c.members)).toEqual(['events', 'drops_buffer_full', 'drops_too_large', 'drops_tail_call', 'read_failures']);
    expect(c.size).toBe(40);
  });
});
