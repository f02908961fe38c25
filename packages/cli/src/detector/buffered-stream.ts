/**
 * `buffered_outputs: true` for the stdout output: alerts collect in a block-sized buffer and reach
 * the stream when it fills and when the run ends, the way a C library buffers a redirected
 * standard output (which is what Falco's setting controls). `-U` (or `buffered_outputs: false`,
 * the default) writes each alert as it comes, so a pipe reader sees it at once.
 */
import { Writable } from 'node:stream';

/** glibc's buffer for a redirected stdout is the st_blksize of a pipe or file: 4 KiB. */
export const STDOUT_BUFFER_BYTES = 4096;

export class BlockBufferedStream extends Writable {
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly target: Writable,
    private readonly blockBytes: number = STDOUT_BUFFER_BYTES,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.pending.push(text);
    this.pendingBytes += Buffer.byteLength(text);
    if (this.pendingBytes < this.blockBytes) {
      done();
      return;
    }
    this.flushTo(done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flushTo(done);
  }

  /** Writes what is held now; resolves once the target has taken it. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.flushTo(() => resolve()));
  }

  private flushTo(done: (error?: Error | null) => void): void {
    if (this.pending.length === 0) {
      done();
      return;
    }
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    if (this.target.write(text)) done();
    else this.target.once('drain', () => done());
  }
}
