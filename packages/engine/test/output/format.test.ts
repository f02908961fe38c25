import { parseFormat } from '../../src/output/format';
import { compileFormat } from '../../src/output/compiled-format';
import { testSource } from '../test-source';

const isField = (n: string): boolean => ['proc.name', 'fd.name', 'proc.aname', 'evt.type'].includes(n);

describe('parseFormat', () => {
  it('splits text and tokens, with widths, arguments and transformers', () => {
    const f = parseFormat('*a %proc.name b=%10fd.name c=%proc.aname[2] d=%toupper(proc.name)%%', isField);
    expect(f.requireAll).toBe(true);
    expect(f.segments).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'field', token: 'proc.name', field: 'proc.name', transformers: [], width: 0 },
      { kind: 'text', text: ' b=' },
      { kind: 'field', token: 'fd.name', field: 'fd.name', transformers: [], width: 10 },
      { kind: 'text', text: ' c=' },
      { kind: 'field', token: 'proc.aname[2]', field: 'proc.aname', arg: '2', transformers: [], width: 0 },
      { kind: 'text', text: ' d=' },
      { kind: 'field', token: 'toupper(proc.name)', field: 'proc.name', transformers: ['toupper'], width: 0 },
      { kind: 'text', text: '%' },
    ]);
  });

  it('ends a token where the field name ends', () => {
    const f = parseFormat('(%proc.name).', isField);
    expect(f.segments.map((s) => (s.kind === 'text' ? s.text : `<${s.token}>`)).join('')).toBe('(<proc.name>).');
    expect(parseFormat('x %fd.name.', isField).segments[1]).toMatchObject({ token: 'fd.name' });
  });

  it('rejects tokens that name no field', () => {
    expect(() => parseFormat('x=%proc.nobody y', isField)).toThrow('invalid formatting token proc.nobody');
  });
});

describe('compileFormat', () => {
  const source = testSource();
  const event = { type: 'open', values: { 'proc.name': 'cat', 'proc.pid': 42n } };

  it('renders values, <NA> for missing ones, widths and transformers', () => {
    const f = compileFormat('n=%proc.name p=%proc.pid f=%fd.name w=[%6proc.name] u=%toupper(proc.name)', source);
    expect(f.render(event)).toBe('n=cat p=42 f=<NA> w=[cat   ] u=CAT');
  });

  it('gives typed output fields with null for missing', () => {
    const f = compileFormat('%proc.name %proc.pid %fd.name', source);
    expect(f.fields(event)).toEqual({ 'proc.name': 'cat', 'proc.pid': 42, 'fd.name': null });
  });
});
