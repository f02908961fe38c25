import { DEFAULT_RULESET, Rulesets } from '../../src/ruleset/rulesets';

const rules = [
  { id: 0, name: 'first actual rule', tags: ['process'], enabled: true },
  { id: 1, name: 'second disabled rule', tags: ['exec', 'process'], enabled: false },
  { id: 2, name: 'third disabled rule', tags: ['exec'], enabled: false },
];

describe('rulesets', () => {
  let rs: Rulesets;
  beforeEach(() => {
    rs = new Rulesets();
    rs.reset(rules);
  });

  it('the default ruleset follows each rule flag; others start empty', () => {
    expect(rs.enabledCount(DEFAULT_RULESET)).toBe(1);
    expect(rs.enabledCount('other')).toBe(0);
  });

  it('selects by substring (empty matches all)', () => {
    rs.set({ kind: 'substring', text: 'disabled' }, true, 'a');
    expect(rs.enabledCount('a')).toBe(2);
    rs.set({ kind: 'substring', text: '' }, true, 'b');
    expect(rs.enabledCount('b')).toBe(3);
  });

  it('selects by exact name', () => {
    rs.set({ kind: 'exact', name: 'first actual' }, true, 'a');
    expect(rs.enabledCount('a')).toBe(0);
    rs.set({ kind: 'exact', name: 'first actual rule' }, true, 'a');
    expect(rs.enabledCount('a')).toBe(1);
    rs.set({ kind: 'exact', name: '' }, true, 'b');
    expect(rs.enabledCount('b')).toBe(3);
  });

  it('selects by wildcard over the whole name', () => {
    rs.set({ kind: 'wildcard', pattern: '*second*r*' }, true, 'a');
    expect(rs.enabledCount('a')).toBe(1);
    rs.set({ kind: 'wildcard', pattern: 'rule' }, true, 'b');
    expect(rs.enabledCount('b')).toBe(0);
    rs.set({ kind: 'wildcard', pattern: '*' }, true, 'c');
    expect(rs.enabledCount('c')).toBe(3);
  });

  it('selects by any of the tags and disables again', () => {
    rs.set({ kind: 'tags', tags: ['exec'] }, true, 'a');
    expect(rs.enabledCount('a')).toBe(2);
    rs.set({ kind: 'tags', tags: ['process'] }, false, 'a');
    expect(rs.enabledCount('a')).toBe(1);
    expect(rs.isEnabled(2, 'a')).toBe(true);
  });
});
