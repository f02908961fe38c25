import { compileCondition, MapFieldRegistry, print, parse } from '@falco-ts/filter-lang';

interface Proc {
  name: string;
  pid: number;
  args: string[];
  cwd?: string;
}

// The host decides which fields exist, their types, and how to read them from its events.
const fields = new MapFieldRegistry<Proc>([
  { name: 'proc.name', type: 'charbuf', extract: (p) => p.name },
  { name: 'proc.pid', type: 'int64', extract: (p) => p.pid },
  { name: 'proc.args', type: 'charbuf', list: true, extract: (p) => p.args },
  { name: 'proc.cwd', type: 'fspath', extract: (p) => p.cwd }, // undefined: cannot be extracted
  {
    name: 'proc.arg',
    type: 'charbuf',
    arg: { kind: 'required', form: 'index' },
    extract: (p, i) => p.args[Number(i)],
  },
]);

const procs: Proc[] = [
  { name: 'bash', pid: 10, args: ['-i'], cwd: '/root' },
  { name: 'nginx', pid: 20, args: ['-g', 'daemon off;'] },
  { name: 'cat', pid: 30, args: ['/etc/shadow'], cwd: '/tmp' },
];

export function main(): string[] {
  const condition = 'proc.name in (bash, cat) and not proc.cwd startswith /root or proc.arg[0] = -g';
  const { predicate, warnings } = compileCondition(condition, fields);
  const lines = [
    `canonical: ${print(parse(condition))}`,
    `matches:   ${procs.filter(predicate).map((p) => p.name).join(', ')}`,
    `warnings:  ${warnings.length}`,
  ];
  return lines;
}

if (require.main === module) console.log(main().join('\n'));
