/**
 * Writes scap captures in the current block layout (SHB 1.2, MI, IL_V2, UL_V2, PL_V9, one FDL_V2 per
 * thread, then EV_V2 / EVF_V2 / *_LARGE event blocks), optionally gzip-compressed. Events come from
 * batches, so anything the reader or the live driver produced can be saved as it is.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type * as Zlib from 'node:zlib';
import type { Writable } from 'node:stream';
import { RECORD, RECORD_PREFIX_SIZE, type EventBatch } from '../batch';
import { CaptureWriteError } from '../errors';
import { EF } from '../schema/generated/event-flags';
import { EVENT_TABLE } from '../schema/generated/event-table';
import { BLOCK, SHB_MAGIC } from './blocks';
import { FD_TYPE, type FdInfo, type GroupInfo, type InterfaceInfo, type MachineInfo, type ThreadInfo, type UserInfo } from './state';

/** A growable little-endian byte sink for one block body. */
class Body {
  buf = Buffer.alloc(4096);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v: number): this {
    this.room(1);
    this.buf.writeUInt8(v & 0xff, this.len);
    this.len += 1;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.buf.writeUInt16LE(v & 0xffff, this.len);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  i64(v: number | bigint): this {
    this.room(8);
    this.buf.writeBigInt64LE(BigInt(v), this.len);
    this.len += 8;
    return this;
  }
  u64(v: number | bigint): this {
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), this.len);
    this.len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  str16(s: string, max = 1024): this {
    const b = Buffer.from(s, 'utf8').subarray(0, max);
    return this.u16(b.length).bytes(b);
  }
  strlist16(items: readonly string[], max = 4096): this {
    const b = Buffer.from(items.map((s) => `${s}\0`).join(''), 'utf8').subarray(0, max);
    return this.u16(b.length).bytes(b);
  }
  /** Patch a u32 at a position already written. */
  setU32(at: number, v: number): void {
    this.buf.writeUInt32LE(v >>> 0, at);
  }
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** One whole block: header, body, zero padding to 4 bytes, trailer. */
export function encodeBlock(type: number, body: Uint8Array): Buffer {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type >>> 0, 0);
  out.writeUInt32LE(total, 4);
  out.set(body, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

function ipv4Bytes(s: string | undefined): Uint8Array {
  const parts = (s ?? '0.0.0.0').split('.').map((x) => Number(x) & 0xff);
  return Uint8Array.from([parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 0]);
}

function ipv6Bytes(s: string | undefined): Uint8Array {
  const out = new Uint8Array(16);
  if (!s) return out;
  let text = s;
  let tail4: Uint8Array | undefined;
  const m = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (m) {
    tail4 = ipv4Bytes(m[1]);
    text = `${text.slice(0, m.index)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const hw = head ? head.split(':').filter((x) => x !== '') : [];
  const tw = rest !== undefined ? rest.split(':').filter((x) => x !== '') : [];
  const words = [...hw, ...new Array<string>(8 - hw.length - tw.length).fill('0'), ...tw];
  words.slice(0, 8).forEach((w, k) => {
    const v = parseInt(w, 16) || 0;
    out[2 * k] = v >> 8;
    out[2 * k + 1] = v & 0xff;
  });
  if (tail4) out.set(tail4, 12);
  return out;
}

export function encodeSectionHeader(): Buffer {
  return encodeBlock(BLOCK.SHB, new Body().u32(SHB_MAGIC).u16(1).u16(2).u64(0xffffffffffffffffn).view());
}

export function encodeMachineInfo(m: MachineInfo): Buffer {
  const host = Buffer.alloc(128);
  host.write(m.hostname.slice(0, 127), 'utf8');
  const b = new Body().u32(m.numCpus).u64(m.memorySizeBytes).u64(m.maxPid).bytes(host).u64(m.bootTsEpoch).u64(m.flags).u64(0).u64(0);
  return encodeBlock(BLOCK.MI, b.view());
}

export function encodeInterfaceList(list: readonly InterfaceInfo[]): Buffer {
  const b = new Body();
  // IPv4 entries first, as libscap writes them. IL_V2 entry lengths exclude their own u32.
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const i of list) {
      if (i.family !== family) continue;
      const name = Buffer.from(i.name, 'utf8');
      const addr = family === 'ipv4' ? ipv4Bytes : ipv6Bytes;
      const lenAt = b.len;
      b.u32(0).u16(family === 'ipv4' ? 1 : 2).u16(name.length).bytes(addr(i.addr)).bytes(addr(i.netmask)).bytes(addr(i.bcast)).u64(i.linkspeed).bytes(name);
      b.setU32(lenAt, b.len - lenAt - 4);
    }
  }
  return encodeBlock(BLOCK.IL_V2, b.view());
}

export function encodeUserList(users: readonly UserInfo[], groups: readonly GroupInfo[]): Buffer {
  const b = new Body();
  for (const u of users) {
    const at = b.len;
    b.u32(0).u8(0).u32(u.uid).u32(u.gid).str16(u.name, 255).str16(u.homedir, 255).str16(u.shell, 255);
    b.setU32(at, b.len - at);
  }
  for (const g of groups) {
    const at = b.len;
    b.u32(0).u8(1).u32(g.gid).str16(g.name, 255);
    b.setU32(at, b.len - at);
  }
  return encodeBlock(BLOCK.UL_V2, b.view());
}

export function encodeProcessList(threads: Iterable<ThreadInfo>): Buffer {
  const b = new Body();
  for (const t of threads) {
    const at = b.len;
    b.u32(0).i64(t.tid).i64(t.pid).i64(t.ptid).i64(t.sid).i64(t.vpgid);
    b.str16(t.comm).str16(t.exe).str16(t.exepath).strlist16(t.args).str16(t.cwd);
    b.i64(t.fdlimit).u32(t.flags).u32(t.uid).u32(t.gid).u32(t.vmsizeKb).u32(t.vmrssKb).u32(t.vmswapKb).u64(t.pfmajor).u64(t.pfminor);
    b.strlist16(t.env).i64(t.vtid).i64(t.vpid).strlist16(t.cgroups).str16(t.root);
    b.u64(t.pidnsInitStartTs).u32(t.tty).u32(t.loginuid).u8(t.exeWritable ? 1 : 0);
    b.u64(t.capInheritable).u64(t.capPermitted).u64(t.capEffective).u8(t.exeUpperLayer ? 1 : 0);
    b.u64(t.exeIno).u64(t.exeInoCtime).u64(t.exeInoMtime).u8(t.exeFromMemfd ? 1 : 0).u8(t.exeLowerLayer ? 1 : 0).i64(t.pgid);
    b.setU32(at, b.len - at);
  }
  return encodeBlock(BLOCK.PL_V9, b.view());
}

function encodeFd(b: Body, fd: FdInfo): void {
  const at = b.len;
  b.u32(0).i64(fd.fd).u64(fd.ino).u8(fd.type);
  switch (fd.type) {
    case FD_TYPE.IPV4_SOCK:
      b.bytes(ipv4Bytes(fd.sip)).bytes(ipv4Bytes(fd.dip)).u16(fd.sport ?? 0).u16(fd.dport ?? 0).u8(fd.l4proto ?? 0);
      break;
    case FD_TYPE.IPV6_SOCK:
      b.bytes(ipv6Bytes(fd.sip)).bytes(ipv6Bytes(fd.dip)).u16(fd.sport ?? 0).u16(fd.dport ?? 0).u8(fd.l4proto ?? 0);
      break;
    case FD_TYPE.IPV4_SERVSOCK:
      b.bytes(ipv4Bytes(fd.sip)).u16(fd.sport ?? 0).u8(fd.l4proto ?? 0);
      break;
    case FD_TYPE.IPV6_SERVSOCK:
      b.bytes(ipv6Bytes(fd.sip)).u16(fd.sport ?? 0).u8(fd.l4proto ?? 0);
      break;
    case FD_TYPE.UNIX_SOCK:
      b.u64(fd.source ?? 0n).u64(fd.dest ?? 0n).str16(fd.name, 1023);
      break;
    case FD_TYPE.FILE_V2:
      b.u32(fd.openFlags ?? 0).str16(fd.name, 1023).u32(fd.dev ?? 0);
      break;
    case FD_TYPE.UNKNOWN:
      break;
    default:
      b.str16(fd.name, 1023);
  }
  b.setU32(at, b.len - at);
}

export function encodeFdList(t: ThreadInfo): Buffer {
  const b = new Body().i64(t.tid);
  for (const fd of t.fds) encodeFd(b, fd);
  return encodeBlock(BLOCK.FDL_V2, b.view());
}

export interface WriterOptions {
  /** gzip the output (default true, as libscap does). */
  compress?: boolean;
}

export interface CaptureMetadata {
  machine?: MachineInfo;
  threads?: Iterable<ThreadInfo>;
  users?: readonly UserInfo[];
  groups?: readonly GroupInfo[];
  interfaces?: readonly InterfaceInfo[];
}

/** Writes a capture to a stream: `begin(metadata)`, then `writeBatch(…)` any number of times, then `end()`. */
export class ScapWriter {
  private started = false;
  private ended = false;
  /** Event blocks are packed into this buffer and written out when it fills. */
  private chunk = Buffer.alloc(256 * 1024);
  private chunkUsed = 0;
  events = 0;

  constructor(private readonly out: Writable) {}

  /** Create a writer for a file (gzip unless `compress: false`). */
  static toFile(path: string, opts: WriterOptions = {}): { writer: ScapWriter; done: Promise<void> } {
    const file = createWriteStream(path);
    let sink: Writable = file;
    if (opts.compress ?? true) {
      // zlib loads with the first compressed capture written, not with the package.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const gz = (require('node:zlib') as typeof Zlib).createGzip();
      gz.pipe(file);
      sink = gz;
    }
    const done = once(file, 'close').then(() => undefined);
    return { writer: new ScapWriter(sink), done };
  }

  private async emit(b: Buffer): Promise<void> {
    if (!this.out.write(b)) await once(this.out, 'drain');
  }

  /** Section header and metadata blocks. Threads with fds get one FDL_V2 block each. */
  async begin(meta: CaptureMetadata = {}): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.emit(encodeSectionHeader());
    if (meta.machine) await this.emit(encodeMachineInfo(meta.machine));
    await this.emit(encodeInterfaceList(meta.interfaces ?? []));
    await this.emit(encodeUserList(meta.users ?? [], meta.groups ?? []));
    const threads = [...(meta.threads ?? [])];
    await this.emit(encodeProcessList(threads));
    for (const t of threads) if (t.fds.length > 0) await this.emit(encodeFdList(t));
  }

  /** Append every record of a batch as one event block each. */
  async writeBatch(batch: EventBatch): Promise<void> {
    if (this.ended) throw new CaptureWriteError('SCAP_WRITE_CLOSED', 'writeBatch after end()');
    if (!this.started) await this.begin();
    const data = batch.data;
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let at = 0;
    for (let k = 0; k < batch.count; k++) {
      if (at + RECORD.PARAM_LENS > batch.byteLength) throw new CaptureWriteError('SCAP_WRITE_BAD_EVENT', `record ${k} starts past the batch end`, { event: k });
      const cpu = dv.getUint16(at + RECORD.CPU, true);
      const flags = dv.getUint32(at + RECORD.FLAGS, true);
      const len = dv.getUint32(at + RECORD.LEN, true);
      const type = dv.getUint16(at + RECORD.TYPE, true);
      if (len < 26 || at + RECORD_PREFIX_SIZE + len > batch.byteLength) {
        throw new CaptureWriteError('SCAP_WRITE_BAD_EVENT', `record ${k} has length ${len}, which does not fit the batch`, { event: k });
      }
      const large = ((EVENT_TABLE[type]?.flags ?? 0) & EF.LARGE_PAYLOAD) !== 0;
      const withFlags = flags !== 0;
      const pre = withFlags ? 6 : 2;
      const bodyLen = pre + len;
      const total = 12 + ((bodyLen + 3) & ~3);
      if (this.chunkUsed + total > this.chunk.length) {
        await this.flushPending();
        if (total > this.chunk.length) this.chunk = Buffer.alloc(total);
      }
      const block = this.chunk;
      const o = this.chunkUsed;
      const blockType = withFlags ? (large ? BLOCK.EVF_V2_LARGE : BLOCK.EVF_V2) : large ? BLOCK.EV_V2_LARGE : BLOCK.EV_V2;
      block.writeUInt32LE(blockType, o);
      block.writeUInt32LE(total, o + 4);
      block.writeUInt16LE(cpu, o + 8);
      if (withFlags) block.writeUInt32LE(flags, o + 10);
      block.set(data.subarray(at + RECORD_PREFIX_SIZE, at + RECORD_PREFIX_SIZE + len), o + 8 + pre);
      block.fill(0, o + 8 + bodyLen, o + total - 4);
      block.writeUInt32LE(total, o + total - 4);
      this.chunkUsed += total;
      at += RECORD_PREFIX_SIZE + len;
      this.events++;
    }
  }

  private async flushPending(): Promise<void> {
    if (this.chunkUsed === 0) return;
    // The stream keeps the written buffer until it is flushed, so hand it a copy-free slice of a
    // buffer that is then replaced rather than overwritten.
    const out = this.chunk.subarray(0, this.chunkUsed);
    this.chunk = Buffer.allocUnsafe(this.chunk.length);
    this.chunkUsed = 0;
    await this.emit(out);
  }

  /** Flush and close the stream. */
  async end(): Promise<void> {
    if (this.ended) return;
    if (!this.started) await this.begin();
    await this.flushPending();
    this.ended = true;
    this.out.end();
  }
}

/** Write a whole capture to a file in one call. */
export async function writeScapFile(path: string, meta: CaptureMetadata, batches: Iterable<EventBatch> | AsyncIterable<EventBatch>, opts: WriterOptions = {}): Promise<number> {
  const { writer, done } = ScapWriter.toFile(path, opts);
  await writer.begin(meta);
  for await (const b of batches) await writer.writeBatch(b);
  await writer.end();
  await done;
  return writer.events;
}
