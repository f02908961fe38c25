import { compileSelector, isSelectorError, selectorMatches, type CompiledSelector, type LabelSelector } from '@falco-ts/netpol';

function compiled(s: LabelSelector): CompiledSelector {
  const c = compileSelector(s, 'sel');
  if (isSelectorError(c)) throw new Error(c.error);
  return c;
}

describe('label selectors', () => {
  it('selects everything when empty, in both spellings', () => {
    expect(selectorMatches(compiled({}), {})).toBe(true);
    expect(selectorMatches(compiled({ matchLabels: {} }), { a: 'b' })).toBe(true);
  });

  it('ANDs matchLabels and every expression operator', () => {
    const s = compiled({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    const base = { app: 'web', tier: 'front', team: 'x' };
    expect(selectorMatches(s, base)).toBe(true);
    expect(selectorMatches(s, { ...base, env: 'dev' })).toBe(true);
    expect(selectorMatches(s, { ...base, env: 'prod' })).toBe(false);
    expect(selectorMatches(s, { ...base, tier: 'back' })).toBe(false);
    expect(selectorMatches(s, { app: 'web', team: 'x' })).toBe(false);
    expect(selectorMatches(s, { app: 'web', tier: 'edge' })).toBe(false);
    expect(selectorMatches(s, { ...base, legacy: '' })).toBe(false);
    expect(selectorMatches(s, { ...base, app: 'api' })).toBe(false);
  });

  it('NotIn matches a missing key', () => {
    expect(selectorMatches(compiled({ matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }), {})).toBe(true);
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, 'operator In needs at least one value', 'sel.matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'operator Exists takes no values', 'sel.matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, 'unknown operator "Gt" (In, NotIn, Exists, DoesNotExist)', 'sel.matchExpressions[0].operator'],
  ])('refuses what the API server refuses: %j', (selector, error, field) => {
    expect(compileSelector(selector as LabelSelector, 'sel')).toEqual({ error, field });
  });
});
