import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickstart } from '../examples/quickstart';

describe('README', () => {
  it('shows the example as it is and what it prints', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(join(__dirname, '..', 'examples', 'quickstart.ts'), 'utf8'));
    const lines = quickstart().map(
      (v) => `${v.source.identity} -> ${v.destination.identity}: ${v.verdict} (ingress: ${v.ingress.reason} ${v.ingress.policies.join(',')})`,
    );
    for (const line of lines) expect(readme).toContain(line);
    expect(lines).toEqual([
      'shop/web -> shop/db: allowed (ingress: allowed-by-policy shop/db-from-web)',
      '203.0.113.7 -> shop/db: denied (ingress: no-rule-matches shop/db-from-web)',
    ]);
  });
});
