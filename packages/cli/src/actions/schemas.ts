/** `--config-schema` and `--rule-schema`: print a JSON Schema and exit. */
import type { CliIo } from '../io';
import { configSchema } from '../schemas/config-schema';
import { ruleSchema } from '../schemas/rule-schema';

export function printConfigSchema(io: CliIo): number {
  io.stdout(`${JSON.stringify(configSchema(), null, 2)}\n`);
  return 0;
}

export function printRuleSchema(io: CliIo): number {
  io.stdout(`${JSON.stringify(ruleSchema(), null, 2)}\n`);
  return 0;
}
