import { parse } from '@falco-ts/filter-lang';
import { eventCodesOf } from '../../src/ruleset/evttypes';
import { TEST_EVENT_CODES, testSource } from '../test-source';

const source = testSource();
const all = source.eventTypes.allCodes.length;
const codes = (...names: string[]): number[] => names.flatMap((n) => TEST_EVENT_CODES.get(n)!).sort((a, b) => a - b);
const of = (cond: string): number[] => eventCodesOf(parse(cond), source);

describe('event-type algebra', () => {
  it.each([
    ['evt.type = open', codes('open')],
    ['evt.type in (open, close)', codes('open', 'close')],
    ['evt.type = open or evt.type = close', codes('open', 'close')],
    ['evt.type in (open, close) and evt.type in (close, read)', codes('close')],
    ['evt.type = open and proc.name = cat', codes('open')],
    ['evt.type = open and evt.type = close', []],
    ['not (evt.type != open)', codes('open')],
    ['not (evt.type != open or evt.type != close)', []],
    ['evt.num = 0', []],
    ['evt.num = 0 or evt.type = read', codes('read')],
  ])('%s', (cond, expected) => {
    expect(of(cond)).toEqual(expected);
  });

  it.each(['proc.name = cat', 'evt.type = open or proc.name = cat', 'not evt.num = 0', 'evt.type startswith open'])(
    '%s matches every type',
    (cond) => {
      expect(of(cond)).toHaveLength(all);
    },
  );

  it('negation complements', () => {
    expect(of('not evt.type = open')).toHaveLength(all - 2);
    expect(of('evt.type != open')).toHaveLength(all - 2);
    expect(of('not (evt.type = open and proc.name = cat)')).toHaveLength(all);
  });

  it('sources without event-type fields put every rule under every code', () => {
    expect(eventCodesOf(parse('evt.type = open'), { ...source, eventTypeFields: [] })).toHaveLength(all);
  });
});
