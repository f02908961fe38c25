import { join } from 'node:path';
import { CONFORMANCE_FALCO, falco } from './helpers';

const CAPTURE = join(CONFORMANCE_FALCO, 'captures/cat_write.scap');

describe('falco inspect', () => {
  it('prints the chosen fields of the events matching a filter', async () => {
    const r = await falco(['inspect', '-r', CAPTURE, '-p', '%proc.name %evt.type %fd.name', 'fd.name contains null']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('cat open /dev/null\ncat fstat /dev/null\ncat read /dev/null\ncat close /dev/null\n');
  });

  it('prints every event with the default format when no filter is given', async () => {
    const r = await falco(['inspect', '-r', CAPTURE]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    expect(lines[0]).toMatch(/^1 \d\d:\d\d:\d\d\.\d{9} \d+ \S+ \(\d+\) [<>] \w+/);
  });

  it('reports a filter that does not compile, with exit code 1', async () => {
    const r = await falco(['inspect', '-r', CAPTURE, 'proc.nosuchfield = 1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*proc\.nosuchfield/);
  });
});
