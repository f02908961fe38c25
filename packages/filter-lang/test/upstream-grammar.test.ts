/**
 * Accept/reject expectations of libsinsp's parser tests that exercise operators, left-hand
 * transformers and transformer lists (falcosecurity/libs userspace/libsinsp/test/filter_parser.ut.cpp,
 * the TESTs named in each table), run with upstream's whitespace variants for accepted inputs
 * (`test_accept` re-parses the input padded with spaces, then with spaces as newlines, then tabs).
 * The grammar rule behind the transformer-list rejections is `parse_transformer_list_arg` in
 * userspace/libsinsp/filter/parser.cpp: a field, a transformer, a quoted string or a number.
 */
import { parse } from '@falco-ts/filter-lang';

function variants(input: string): string[] {
  const pad = ` ${input} `;
  const newlines = pad.replace(/ /g, '\n');
  return [input, pad, newlines, newlines.replace(/\n/g, '\t')];
}


describe('filter_parser.ut.cpp TEST(parser, parse_operators)', () => {
  it.each([
    "test.op exists and macro",
    "test.op exists",
    "test.op = value",
    "test.op == value",
    "test.op != value",
    "test.op glob value",
    "test.op iglob value",
    "test.op contains value",
    "test.op icontains value",
    "test.op bcontains 48545450",
    "test.op startswith value",
    "test.op bstartswith 12ab001fc5",
    "test.op endswith value",
    "test.op > 1",
    "test.op < 1",
    "test.op >= 1",
    "test.op <= 1",
    "test.op in ()",
    "test.op intersects ()",
    "test.op pmatch ()",
    "test.op in()",
    "test.op existsand macro",
    "test.op =value",
    "test.op ==value",
    "test.op !=value",
    "test.op >1",
    "test.op <1",
    "test.op >=1",
    "test.op <=1",
    "test.op intersects()",
    "test.op pmatch()",
  ])('accepts %j', (input) => {
    for (const v of variants(input)) expect(() => parse(v)).not.toThrow();
  });
  it.each([
    "test.op ExIsTs",
    "test.op exists something",
    "test.op ===",
    "test.op !==",
    "test.op startswithvalue",
    "test.op bstartswithvalue",
    "test.op endswithvalue",
    "test.op containsvalue",
    "test.op icontainsvalue",
    "test.op bcontainsvalue",
    "test.op globvalue",
    "test.op iglobvalue",
    "test.op === value",
    "test.op !== value",
    "test.op >",
    "test.op <",
    "test.op >=",
    "test.op <=",
    "test.op in",
    "test.op intersects",
    "test.op pmatch",
  ])('rejects %j', (input) => {
    expect(() => parse(input)).toThrow();
  });
});

describe('filter_parser.ut.cpp TEST(parser, parse_transformers_left_hand)', () => {
  it.each([
    "tolower(test.field) exists",
    "toupper(test.field) exists",
    "b64(test.field) exists",
    "b64(test.field) = value",
    "b64(test.field) == value",
    "b64(test.field) != value",
    "b64(test.field) glob value",
    "(b64(test.field) exists)",
    "b64(test.field) exists and b64(test.field) contains 'a'",
    "b64(test.field) exists or b64(test.field) contains 'a'",
    "not b64(test.field) exists or b64(test.field) contains 'a'",
    "b64(test.field) exists or not b64(test.field) contains 'a'",
    "b64(test.field) exists or (b64(test.field) contains 'a')",
    "not (b64(test.field) exists or b64(test.field) contains 'a')",
    "b64(toupper(test.field)) exists",
    "toupper(b64(test.field)) exists",
    " b64(test.field) exists",
    "b64( test.field) exists",
    "b64(test.field ) exists",
    "b64(b64(test.field)) exists",
    "b64( b64(test.field)) exists",
    "b64(b64( test.field)) exists",
    "b64(b64(test.field )) exists",
    "b64(test.field)  exists",
    "b64(b64(test.field) ) exists",
    "b64(b64(test.field))  exists",
  ])('accepts %j', (input) => {
    for (const v of variants(input)) expect(() => parse(v)).not.toThrow();
  });
  it.each([
    "val(test.field) exists",
    "val(val(test.field)) exists",
    "val(b64(test.field)) exists",
    "b64(val(test.field)) exists",
    "b64(test.field [1]) exists",
    "some_fake_transformer(test.field) exists",
    "some_fake_transformer (test.field) exists",
    "some.fake.transformer(test.field) exists",
    "b64 (test.field) exists",
    "b64,(test.field) exists",
    "b64(testfield)) exists",
    "b64(test_field)) exists",
    "b64(b64)) exists",
    "b64(test.field exists",
    "test.field) exists",
    "b64(b64(test.field exists",
    "b64(b64(test.field) exists",
    "b64(test.field)) exists",
    "(test.field) exists",
    "(test.field exists",
    "a(test.field) exists",
    "aaaa(test.field) exists",
    "a(b(test.field)) exists",
  ])('rejects %j', (input) => {
    expect(() => parse(input)).toThrow();
  });
});

describe('filter_parser.ut.cpp TEST(parser, parse_transformer_list_*)', () => {
  it.each([
    "join(\"-\", (tolower(fd.name), fd.directory)) = /tmp/test",
    "join(\"-\", (toupper(fd.name), b64(fd.directory))) = /tmp/test",
    "join(\"-\", (tolower(toupper(fd.name)), fd.directory)) = /tmp/test",
    "join(\"-\", (tolower(fd.name), toupper(fd.directory))) = /tmp/test",
    "join(\"-\", (fd.name, fd.directory)) = /tmp and proc.name = cat",
    "join(\"-\", (fd.name, fd.directory)) = /tmp or proc.name = cat",
    "not join(\"-\", (fd.name, fd.directory)) = /tmp",
    "(join(\"-\", (fd.name, fd.directory)) = /tmp)",
    "proc.name = cat and join(\"-\", (fd.name, fd.directory)) = /tmp",
    "join(\"-\", (fd.name, fd.directory)) = /tmp and join(\":\", (proc.name, proc.pid)) = cat:123",
    "toupper(join(\"-\", (fd.name, fd.directory))) = VALUE",
    "tolower(join(\"-\", (fd.name, fd.directory))) = value",
    "b64(join(\"-\", (fd.name, fd.directory))) = value",
    "len(join(\"-\", (fd.name, fd.directory))) = 10",
    "basename(join(\"/\", (fd.name, fd.directory))) = value",
    "toupper(tolower(join(\"-\", (fd.name, fd.directory)))) = VALUE",
    "b64(toupper(join(\"-\", (fd.name, fd.directory)))) = VALUE",
    "len(toupper(join(\"-\", (fd.name, fd.directory)))) = 10",
    "toupper(join(\"-\", (fd.name, fd.directory))) contains VALUE",
    "toupper(join(\"-\", (fd.name, fd.directory))) startswith VALUE",
    "len(join(\"-\", (fd.name, fd.directory))) > 5",
    "len(join(\"-\", (fd.name, fd.directory))) >= 5",
    "toupper(join(\"-\", (fd.name, fd.directory))) = VALUE and proc.name = cat",
    "not toupper(join(\"-\", (fd.name, fd.directory))) = VALUE",
    "join(\"-\", ( fd.name, fd.directory )) = /tmp",
    "join(\"-\", (fd.name , fd.directory)) = /tmp",
    "join(\"-\", ( fd.name , fd.directory )) = /tmp",
    "join( \"-\", (fd.name, fd.directory)) = /tmp",
    "join(\"-\" , (fd.name, fd.directory)) = /tmp",
    "join(\"-\", ()) = /tmp",
  ])('accepts %j', (input) => {
    for (const v of variants(input)) expect(() => parse(v)).not.toThrow();
  });
  it.each([
    "join(\"-\", (fd.name, fd.directory) = /tmp",
    "join(\"-\", fd.name, fd.directory)) = /tmp",
    "join(\"-\", (,)) = /tmp",
    "join(\"-\", (,fd.name)) = /tmp",
    "join(\"-\", (fd.name,)) = /tmp",
    "join(\"-\", (fd.name,,fd.directory)) = /tmp",
    "join(\"-\", ((fd.name))) = /tmp",
    "join(\"-\", (macro)) = /tmp",
    "join(\"-\", (barestring)) = /tmp",
  ])('rejects %j', (input) => {
    expect(() => parse(input)).toThrow();
  });
});
