/**
 * Errors a user of the `falco` command can cause: a bad configuration file or `-o` override, a bad
 * command line, rules that fail to load, an input that cannot be opened. Each has a stable `code`
 * and the context a user needs to fix it; none of them crash the process (the command prints the
 * message and exits with Falco's failure code).
 */
export interface ConfigContext {
  /** The configuration file, or `-o` for a command-line override. */
  file?: string;
  /** The configuration key (dotted path) concerned. */
  key?: string;
  line?: number;
  column?: number;
}

export class FalcoCliError extends Error {
  override name = 'FalcoCliError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
  /** The one-line form, without context. */
  get shortMessage(): string {
    return this.message.split('\n')[0] ?? this.message;
  }
}

export class ConfigError extends FalcoCliError {
  override name = 'ConfigError';
  readonly context: ConfigContext;
  constructor(code: string, message: string, context: ConfigContext) {
    super(code, message);
    this.context = context;
  }
}

export class UsageError extends FalcoCliError {
  override name = 'UsageError';
}

export class RunError extends FalcoCliError {
  override name = 'RunError';
}

function where(ctx: ConfigContext): string {
  const pos = ctx.line !== undefined ? `:${ctx.line}${ctx.column !== undefined ? `:${ctx.column}` : ''}` : '';
  return ctx.file ? `${ctx.file}${pos}` : '';
}

export const configErrors = {
  unreadable: (file: string, reason: string): ConfigError =>
    new ConfigError('CONFIG_UNREADABLE', `Cannot read config file (${file}): ${reason}`, { file }),
  badYaml: (file: string, reason: string, line?: number, column?: number): ConfigError =>
    new ConfigError('CONFIG_BAD_YAML', `Cannot read config file (${where({ file, line, column })}): ${reason}`, { file, line, column }),
  notAMapping: (file: string): ConfigError =>
    new ConfigError('CONFIG_NOT_MAPPING', `Cannot read config file (${file}): the document is not a YAML mapping`, { file }),
  badOverride: (text: string, reason: string): ConfigError =>
    new ConfigError('CONFIG_BAD_OVERRIDE', `Error parsing config option "${text}": ${reason}`, { file: '-o' }),
  /** Falco's text (configuration.cpp set_cmdline_option) for an `-o` value without `=`. */
  overrideWithoutValue: (text: string): ConfigError =>
    new ConfigError('CONFIG_BAD_OVERRIDE', `Error parsing config option "${text}". Must be of the form key=val or key.subkey=val`, { file: '-o' }),
  invalidValue: (key: string, message: string, file?: string): ConfigError =>
    new ConfigError('CONFIG_INVALID_VALUE', message, { key, file }),
};

export const usageErrors = {
  noRules: (): UsageError =>
    new UsageError('NO_RULES', 'You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml'),
  bad: (message: string): UsageError => new UsageError('BAD_USAGE', message),
};

export const runErrors = {
  rulesLoad: (summary: string): RunError => new RunError('RULES_LOAD_FAILED', summary),
  input: (message: string): RunError => new RunError('INPUT_FAILED', message),
  unavailable: (what: string, why: string): RunError => new RunError('UNAVAILABLE', `${what}: ${why}`),
};
