import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../examples/filter-objects';

describe('README example', () => {
  it('is the example file, verbatim', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = readFileSync(join(__dirname, '..', 'examples', 'filter-objects.ts'), 'utf8');
    expect(readme).toContain(example);
  });

  it('prints what the README says it prints', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const output = main().join('\n');
    expect(output).toBe(
      'canonical: ((proc.name in (bash, cat) and not proc.cwd startswith /root) or proc.arg[0] = -g)\n' +
        'matches:   nginx, cat\n' +
        'warnings:  0',
    );
    expect(readme).toContain(output);
  });
});
