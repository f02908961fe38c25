/**
 * The `filter` suite: libsinsp's filter parser and compiler expectations (`parse`, `compile`,
 * `mock_eval` records) run through @falco-ts/filter-lang. Everything is driven by the records:
 * `kind` picks what to run, `expect`/`message`/`ast`/`warnings` say what to check (null means not
 * asserted), `factory` picks the field set. Directories are searched for `*.jsonl` files; records
 * of other suites are skipped. A `mock` factory reads `mock_fields.json` next to its cases file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  chainRegistries,
  compile,
  FilterCompileError,
  FilterSyntaxError,
  MapFieldRegistry,
  parse,
  print,
  type CustomCheck,
  type FieldRegistry,
  type FieldType,
} from '@falco-ts/filter-lang';
import { syscallFieldRegistry } from '@falco-ts/engine';
import type { CaseResult, Suite } from '../suite';

interface FilterCase {
  id: string;
  suite: string;
  kind: 'parse' | 'compile' | 'mock_eval';
  input: string;
  expect: string;
  message: string | null;
  ast?: string | null;
  factory?: 'sinsp' | 'mock';
  warnings?: number | null;
}

interface MockFieldSpec {
  type: string;
  result: string;
  value?: string;
}

function* caseFiles(inputs: readonly string[]): Generator<string> {
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      for (const name of readdirSync(input).sort()) {
        if (name.endsWith('.jsonl')) yield join(input, name);
      }
    } else {
      yield input;
    }
  }
}

function* readCases(file: string): Generator<FilterCase> {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as FilterCase;
    if (record.suite === 'filter') yield record;
  }
}

/**
 * The regular syscall fields, from the engine. Cases only compile against them (and mock_eval
 * cases evaluate mock fields without an event), so the event type does not matter here.
 */
const SYSCALL_FIELDS = syscallFieldRegistry as unknown as FieldRegistry;

const MOCK_TYPES: Record<string, FieldType> = { CHARBUF: 'charbuf', BYTEBUF: 'bytebuf' };

/**
 * The mock fields of `mock_fields.json`: checks that ignore their operator and answer from the
 * field alone (`always true`/`always false`) or from the right-hand value (`value`).
 */
function mockRegistry(file: string): FieldRegistry {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { fields: Record<string, MockFieldSpec> };
  const registry = new MapFieldRegistry();
  for (const [name, field] of Object.entries(spec.fields)) {
    const type = MOCK_TYPES[field.type];
    if (!type) throw new Error(`${file}: field ${name} has unknown type ${field.type}`);
    const customCheck = (check: CustomCheck): (() => boolean) => {
      if (field.value !== undefined) {
        const hit = check.values.length === 1 && check.values[0] === field.value;
        return () => hit;
      }
      if (/^always true$/.test(field.result)) return () => true;
      if (/^always false$/.test(field.result)) return () => false;
      throw new Error(`${file}: field ${name} has an unknown result '${field.result}'`);
    };
    registry.add({ name, type, extract: () => undefined, customCheck });
  }
  return registry;
}

function errorText(e: unknown): string {
  if (e instanceof FilterSyntaxError || e instanceof FilterCompileError) return e.reason;
  return e instanceof Error ? e.message : String(e);
}

function isFilterError(e: unknown): boolean {
  return e instanceof FilterSyntaxError || e instanceof FilterCompileError;
}

function runParse(c: FilterCase): CaseResult {
  try {
    const ast = parse(c.input);
    if (c.expect === 'reject') return { id: c.id, passed: false, detail: `accepted, expected a rejection; parsed as ${JSON.stringify(print(ast))}` };
    if (c.ast !== null && c.ast !== undefined) {
      const printed = print(ast);
      if (printed !== c.ast) return { id: c.id, passed: false, detail: `AST ${JSON.stringify(printed)}, expected ${JSON.stringify(c.ast)}` };
    }
    return { id: c.id, passed: true };
  } catch (e) {
    if (!isFilterError(e)) return { id: c.id, passed: false, detail: `crashed: ${errorText(e)}` };
    return checkRejection(c, e);
  }
}

function checkRejection(c: FilterCase, e: unknown): CaseResult {
  if (c.expect !== 'reject') return { id: c.id, passed: false, detail: `rejected: ${errorText(e)}` };
  if (c.message !== null && errorText(e) !== c.message) {
    return { id: c.id, passed: false, detail: `message ${JSON.stringify(errorText(e))}, expected ${JSON.stringify(c.message)}` };
  }
  return { id: c.id, passed: true };
}

export const suite: Suite = {
  async *run(inputs) {
    const mocks = new Map<string, FieldRegistry>();
    const registryFor = (c: FilterCase, file: string): FieldRegistry | string => {
      if (c.factory === 'mock') {
        const path = join(dirname(file), 'mock_fields.json');
        if (!existsSync(path)) return `mock factory: ${path} not found`;
        let mock = mocks.get(path);
        if (!mock) {
          mock = mockRegistry(path);
          mocks.set(path, mock);
        }
        return chainRegistries(mock, SYSCALL_FIELDS);
      }
      return SYSCALL_FIELDS;
    };

    for (const file of caseFiles(inputs)) {
      for (const c of readCases(file)) {
        if (c.kind === 'parse') {
          yield runParse(c);
          continue;
        }
        const registry = registryFor(c, file);
        if (typeof registry === 'string') {
          yield { id: c.id, passed: false, detail: registry };
          continue;
        }
        let compiled;
        try {
          compiled = compile(parse(c.input), registry, { source: c.input });
        } catch (e) {
          if (!isFilterError(e)) {
            yield { id: c.id, passed: false, detail: `crashed: ${errorText(e)}` };
          } else if (c.kind === 'mock_eval') {
            yield { id: c.id, passed: false, detail: `did not compile: ${errorText(e)}` };
          } else {
            yield checkRejection(c, e);
          }
          continue;
        }
        if (c.kind === 'compile') {
          if (c.expect === 'reject') {
            yield { id: c.id, passed: false, detail: 'compiled, expected a rejection' };
          } else if (c.warnings !== null && c.warnings !== undefined && compiled.warnings.length !== c.warnings) {
            const texts = compiled.warnings.map((w) => w.message).join('; ');
            yield { id: c.id, passed: false, detail: `${compiled.warnings.length} warnings, expected ${c.warnings}${texts ? `: ${texts}` : ''}` };
          } else {
            yield { id: c.id, passed: true };
          }
          continue;
        }
        // mock_eval: upstream evaluates once without an event; the mock checks never read one.
        const result = String(compiled.predicate(undefined));
        yield result === c.expect
          ? { id: c.id, passed: true }
          : { id: c.id, passed: false, detail: `evaluated to ${result}, expected ${c.expect}` };
      }
    }
  },
};
