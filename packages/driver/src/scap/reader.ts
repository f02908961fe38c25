/**
 * Reading scap captures from files (streaming, gzip or plain, constant memory) or from buffers.
 * Both go through `ScapParser`; the file reader pulls decompressed chunks only as batches are
 * consumed, so memory stays bounded by one chunk, one block and the batches not yet handed out.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type * as Zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import type { EventBatch } from '../batch';
import { CaptureFormatError } from '../errors';
import { ScapParser, type CaptureStats, type ParserOptions } from './parser';
import type { InitialState } from './state';

export type ReadOptions = ParserOptions;

/** zlib, loaded with the first compressed capture: reading a plain one does not pay for it. */
function zlib(): typeof Zlib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:zlib') as typeof Zlib;
}

/**
 * Bytes read from a plain file per read. Large, because every read is a hand-off to the thread pool
 * and back, which on a busy machine can take longer than the read itself.
 */
const READ_BYTES = 1024 * 1024;
/**
 * Bytes handed to the parser at a time (and decompressed per gzip output chunk): the parser's
 * buffer and the batches queued between two pushes stay bounded by this, not by the read size.
 */
const CHUNK_BYTES = 256 * 1024;

/**
 * A plain capture's chunks, read into two reused buffers: the next chunk is read (on the libuv
 * thread pool) while the caller parses the current one, and the parser copies each chunk before
 * asking for the next, so the file is read without waiting on each read or allocating per chunk.
 */
async function* plainChunks(fh: FileHandle): AsyncGenerator<Uint8Array> {
  const bufs = [new Uint8Array(READ_BYTES), new Uint8Array(READ_BYTES)];
  let k = 0;
  let pending = readAhead(fh, bufs[0]!);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) return;
      const cur = bufs[k]!;
      k ^= 1;
      pending = readAhead(fh, bufs[k]!);
      yield cur.subarray(0, bytesRead);
    }
  } finally {
    // Let a read in flight finish before the handle closes; its error, if any, no longer matters.
    await pending.catch(() => undefined);
    await fh.close();
  }
}

/** Start reading the next chunk; a failure surfaces where the read is awaited, not as unhandled. */
function readAhead(fh: FileHandle, buf: Uint8Array): Promise<{ bytesRead: number }> {
  const p = fh.read(buf, 0, buf.length, null);
  p.catch(() => undefined);
  return p;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** An open capture: the initial state is available at once, events through `batches()`. */
export class ScapReader {
  private done = false;
  private maxQueued = 0;
  /** The chunk being fed to the parser in CHUNK_BYTES slices, and how far it has been fed. */
  private pending: Uint8Array | undefined;
  private pendingAt = 0;

  private constructor(
    private readonly parser: ScapParser,
    private readonly queue: EventBatch[],
    private readonly chunks: AsyncIterator<Uint8Array>,
    /** Releases the file (destroys the gzip stream, or ends the plain reads and closes the handle). */
    private readonly release: () => void,
    /** Whether the file is gzip-compressed. */
    readonly compressed: boolean,
    private readonly path: string,
  ) {}

  /** Open a capture and read its metadata blocks (everything before the first event). */
  static async open(path: string, opts: ReadOptions = {}): Promise<ScapReader> {
    const options = { file: path, ...opts };
    let head: Uint8Array;
    const fh = await open(path, 'r').catch((e: Error) => {
      throw new CaptureFormatError('SCAP_IO', `cannot open: ${e.message}`, { file: path, offset: 0, block: 'header', blockOffset: 0 });
    });
    try {
      const b = new Uint8Array(2);
      // A positioned read: the handle's own position stays at 0 for the plain reads below.
      const { bytesRead } = await fh.read(b, 0, 2, 0);
      head = b.subarray(0, bytesRead);
    } catch (e) {
      await fh.close();
      throw e;
    }
    const compressed = isGzip(head);
    let chunks: AsyncIterator<Uint8Array>;
    let release: () => void;
    if (compressed) {
      await fh.close();
      // zlib inflates on the libuv thread pool, so decompression overlaps with parsing here.
      const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
      // Large output chunks for the same reason as READ_BYTES: each one is a thread-pool round trip.
      const gunzip = zlib().createGunzip({ chunkSize: READ_BYTES });
      file.on('error', (e) => gunzip.destroy(e));
      const stream: Readable = file.pipe(gunzip);
      chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      release = () => stream.destroy();
    } else {
      // The handle that read the magic reads the file: no second open (a thread-pool round trip).
      const gen = plainChunks(fh);
      chunks = gen;
      let released = false;
      release = () => {
        if (released) return;
        released = true;
        // Ends the generator, whose finally closes the handle; a read in flight finishes first.
        gen.return(undefined).catch(() => undefined);
      };
    }
    const queue: EventBatch[] = [];
    const parser = new ScapParser((batch) => queue.push(batch), options);
    const reader = new ScapReader(parser, queue, chunks, release, compressed, path);
    while (!parser.sawEvents && !reader.done) await reader.pull();
    return reader;
  }

  /** Processes, threads with fds, users and groups, interfaces, machine info. */
  get state(): InitialState {
    return this.parser.state;
  }

  get stats(): CaptureStats {
    return this.parser.stats;
  }

  private async pull(): Promise<void> {
    const pending = this.pending;
    if (pending !== undefined) {
      // The rest of a read, a slice at a time. The chunk stays valid until the next `next()`.
      const end = Math.min(this.pendingAt + CHUNK_BYTES, pending.length);
      const at = this.pendingAt;
      this.pendingAt = end;
      if (end === pending.length) this.pending = undefined;
      this.parser.push(pending.subarray(at, end));
      return;
    }
    let r: IteratorResult<Uint8Array>;
    try {
      r = await this.chunks.next();
    } catch (e) {
      this.done = true;
      const err = e as NodeJS.ErrnoException;
      const code = err.code?.startsWith('Z_') ? 'SCAP_GZIP' : 'SCAP_IO';
      throw new CaptureFormatError(code, `${code === 'SCAP_GZIP' ? 'gzip stream' : 'read'} failed: ${err.message}`, {
        file: this.path,
        offset: this.parser.stats.bytes,
        block: 'stream',
        blockOffset: this.parser.stats.bytes,
      });
    }
    if (r.done) {
      this.done = true;
      this.parser.finish();
      return;
    }
    if (r.value.length > CHUNK_BYTES) {
      this.pending = r.value;
      this.pendingAt = 0;
      return this.pull();
    }
    this.parser.push(r.value);
  }

  /**
   * What the reader holds in memory: the parser's buffer and the most batches ever queued between
   * two reads of the file (batches are handed out as soon as a chunk has been parsed).
   */
  get memory(): { bufferBytes: number; maxQueuedBatches: number } {
    return { bufferBytes: this.parser.bufferCapacity, maxQueuedBatches: this.maxQueued };
  }

  /** The events, converted to the modern layout, in batches. */
  async *batches(): AsyncGenerator<EventBatch> {
    try {
      for (;;) {
        if (this.queue.length > this.maxQueued) this.maxQueued = this.queue.length;
        while (this.queue.length > 0) yield this.queue.shift()!;
        if (this.done) return;
        await this.pull();
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    this.done = true;
    this.release();
  }
}

/** Open a capture file. */
export function openScap(path: string, opts: ReadOptions = {}): Promise<ScapReader> {
  return ScapReader.open(path, opts);
}

export interface ScapContents {
  state: InitialState;
  stats: CaptureStats;
  batches: EventBatch[];
  compressed: boolean;
}

/**
 * Read a whole capture held in memory (gzip or plain). Decompression is capped at
 * `maxDecompressedBytes` (default 1 GiB) so a hostile input cannot exhaust memory.
 */
export function readScapBuffer(bytes: Uint8Array, opts: ReadOptions & { maxDecompressedBytes?: number } = {}): ScapContents {
  const compressed = isGzip(bytes);
  let data = bytes;
  if (compressed) {
    try {
      const out = zlib().gunzipSync(bytes, { maxOutputLength: opts.maxDecompressedBytes ?? 1 << 30 });
      data = new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (e) {
      throw new CaptureFormatError('SCAP_GZIP', `gzip stream failed: ${(e as Error).message}`, { file: opts.file, offset: 0, block: 'stream', blockOffset: 0 });
    }
  }
  const batches: EventBatch[] = [];
  const parser = new ScapParser((b) => batches.push(b), opts);
  parser.push(data);
  parser.finish();
  return { state: parser.state, stats: parser.stats, batches, compressed };
}
