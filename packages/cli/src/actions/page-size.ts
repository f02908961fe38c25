/** `--page-size`: the system page size, as the kernel reports it to every process. */
import { execFileSync } from 'node:child_process';

export function pageSizeText(): string {
  let size = 4096;
  try {
    size = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || size;
  } catch {
    // getconf missing: 4096 is the page size of every platform this runs on
  }
  return `Your system page size is: ${size} bytes\n`;
}
