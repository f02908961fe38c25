/**
 * Diagnostics about a scalar value point at the value (its context is built only when needed).
 */
import { Engine } from '../../src/engine';
import { SyscallSource } from '../../src/syscall/source';

function lastLocation(rules: string): { message: string; item_type: string; item_name: string; line: number; column: number } {
  const engine = new Engine();
  engine.addSource(new SyscallSource({ hostname: 'test' }));
  const json = engine.loadRules(rules, 'r.yaml').toJSON();
  expect(json.successful).toBe(false);
  const error = json.errors[0]!;
  const last = error.context.locations[error.context.locations.length - 1]!;
  return { message: error.message, item_type: last.item_type, item_name: last.item_name, line: last.position.line, column: last.position.column };
}

const RULE = (extra: string): string =>
  `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: x\n  priority: INFO\n${extra}`;

describe('scalar diagnostics', () => {
  it("points an undecodable boolean at the value", () => {
    expect(lastLocation(RULE('  enabled: maybe\n'))).toEqual({
      message: "Can't decode YAML scalar value",
      item_type: 'value for',
      item_name: 'enabled',
      line: 5,
      column: 11,
    });
  });

  it('points an empty string at the value', () => {
    expect(lastLocation(`- rule: r\n  desc: ""\n  condition: evt.type = open\n  output: x\n  priority: INFO\n`)).toEqual({
      message: 'Value must be non-empty',
      item_type: 'value for',
      item_name: 'desc',
      line: 1,
      column: 8,
    });
  });

  it('points a sequence where a scalar belongs at the value', () => {
    expect(lastLocation(`- rule: r\n  desc: [a, b]\n  condition: evt.type = open\n  output: x\n  priority: INFO\n`)).toEqual({
      message: 'Value is not a scalar value',
      item_type: 'value for',
      item_name: 'desc',
      line: 1,
      column: 8,
    });
  });
});
