/**
 * The typed view of a loaded configuration tree: every key the command acts on, with Falco's
 * defaults and its validation rules. Keys it does not know are ignored.
 */
import { PRIORITIES, parsePriority, type PriorityLevel } from '@falco-ts/alert';
import { configErrors } from '../errors';
// The limits subpath, not the package index: reading falco.yaml must not load the engine (start-up).
import { DEFAULT_LOAD_LIMITS, type LoadLimits } from '@falco-ts/engine/loader/limits';
import type { YamlMap } from './override';

/** `rules`: only rules with `capture: true` start a capture; `all_rules`: every rule does. */
export type CaptureMode = 'rules' | 'all_rules';

/** Falco 0.44's kinds: the legacy eBPF probe and gVisor were removed in 0.44 (deprecated in 0.43). */
export type EngineKind = 'modern_ebpf' | 'replay' | 'nodriver' | 'kmod';
export type DropAction = 'ignore' | 'log' | 'alert' | 'exit';
export type LogLevel = 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'info' | 'debug';

export interface RuleSelection {
  action: 'enable' | 'disable';
  by: 'rule' | 'tag';
  value: string;
}

export interface FalcoConfig {
  rulesFiles: string[];
  ruleSelections: RuleSelection[];
  engineKind: EngineKind;
  replayCaptureFile: string;
  /** Minimum priority of rules to load (lower = more severe). */
  minPriority: PriorityLevel;
  jsonOutput: boolean;
  jsonIncludeOutputProperty: boolean;
  jsonIncludeTagsProperty: boolean;
  jsonIncludeMessageProperty: boolean;
  jsonIncludeOutputFieldsProperty: boolean;
  timeFormatIso8601: boolean;
  bufferedOutputs: boolean;
  ruleMatching: 'first' | 'all';
  stdout: { enabled: boolean };
  file: { enabled: boolean; keepAlive: boolean; filename: string };
  program: { enabled: boolean; keepAlive: boolean; program: string };
  syslog: { enabled: boolean };
  http: { enabled: boolean; url: string; userAgent: string };
  logLevel: LogLevel;
  logStderr: boolean;
  logSyslog: boolean;
  drops: { threshold: number; actions: DropAction[]; rate: number; maxBurst: number; simulateDrops: boolean };
  baseSyscalls: { customSet: string[]; repair: boolean; all: boolean };
  /** Ring buffer size from `engine.modern_ebpf.buf_size_preset` (Falco's presets: 1 = 1 MiB … 10 = 512 MiB). */
  ringBufferBytes: number;
  webserver: {
    enabled: boolean;
    listenPort: number;
    listenAddress: string;
    healthzEndpoint: string;
    prometheusMetricsEnabled: boolean;
    sslEnabled: boolean;
    sslCertificate: string;
    /** Falco's worker count (0 = one per CPU); Node serves every request on its event loop, so it is read and not used. */
    threadiness: number;
  };
  metrics: { enabled: boolean; interval: string; intervalMs: number; outputRule: boolean; outputFile: string };
  loadPlugins: string[];
  plugins: { name: string; openParams: string; initConfig: unknown }[];
  watchConfigFiles: boolean;
  outputTimeoutMs: number;
  /** `append_output` entries: extra output text/fields for rules matching source/tag/rule. */
  appendOutput: YamlMap[];
  capture: { enabled: boolean; pathPrefix: string; mode: CaptureMode; defaultDurationMs: number };
  /** `rule_loading`: bounds on loading one rules file, and on preparing a reload. */
  ruleLoading: { limits: LoadLimits; reloadTimeoutMs: number };
}

function get(tree: YamlMap, path: string): unknown {
  let cur: unknown = tree;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as YamlMap)[k];
  }
  return cur;
}

function bool(tree: YamlMap, path: string, dflt: boolean): boolean {
  const v = get(tree, path);
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw configErrors.invalidValue(path, `Error reading config: ${path} must be a boolean, got ${JSON.stringify(v)}`);
}

function num(tree: YamlMap, path: string, dflt: number): number {
  const v = get(tree, path);
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw configErrors.invalidValue(path, `Error reading config: ${path} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function str(tree: YamlMap, path: string, dflt: string): string {
  const v = get(tree, path);
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'object') throw configErrors.invalidValue(path, `Error reading config: ${path} must be a scalar`);
  return String(v);
}

function strList(tree: YamlMap, path: string): string[] {
  const v = get(tree, path);
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw configErrors.invalidValue(path, `Error reading config: ${path} must be a list`);
  return v.filter((x) => x !== null && x !== undefined).map((x) => String(x));
}

function ruleSelections(tree: YamlMap): RuleSelection[] {
  const raw = get(tree, 'rules');
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw configErrors.invalidValue('rules', 'Error reading config: rules must be a list of enable/disable entries');
  const out: RuleSelection[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== 'object') continue;
    for (const action of ['enable', 'disable'] as const) {
      const sel = (entry as YamlMap)[action];
      if (sel === undefined || sel === null || typeof sel !== 'object') continue;
      for (const by of ['rule', 'tag'] as const) {
        const value = (sel as YamlMap)[by];
        if (value !== undefined && value !== null) out.push({ action, by, value: String(value) });
      }
    }
  }
  return out;
}

const ENGINE_KINDS: readonly EngineKind[] = ['kmod', 'modern_ebpf', 'replay', 'nodriver'];
const LOG_LEVELS: readonly LogLevel[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

/**
 * `syscall_event_drops` as falco_configuration.cpp reads it: actions in order, `log`/`alert` after
 * `ignore` refused, unknown names refused, no action at all meaning `ignore`.
 */
function dropsConfig(tree: YamlMap, bad: (message: string) => string): FalcoConfig['drops'] {
  const actions: DropAction[] = [];
  for (const a of strList(tree, 'syscall_event_drops.actions')) {
    if (a !== 'ignore' && a !== 'log' && a !== 'alert' && a !== 'exit') {
      throw configErrors.invalidValue('syscall_event_drops.actions', bad('available actions for syscall event drops are "ignore", "log", "alert", and "exit"'));
    }
    if ((a === 'log' || a === 'alert') && actions.includes('ignore')) {
      throw configErrors.invalidValue('syscall_event_drops.actions', bad(`syscall event drop action "${a}" does not make sense with the "ignore" action`));
    }
    if (!actions.includes(a)) actions.push(a);
  }
  if (actions.length === 0) actions.push('ignore');
  const threshold = num(tree, 'syscall_event_drops.threshold', 0.1);
  if (threshold < 0 || threshold > 1) {
    throw configErrors.invalidValue('syscall_event_drops.threshold', bad('syscall event drops threshold must be a double in the range [0, 1]'));
  }
  return {
    threshold,
    actions,
    rate: num(tree, 'syscall_event_drops.rate', 0.03333),
    maxBurst: num(tree, 'syscall_event_drops.max_burst', 1),
    simulateDrops: bool(tree, 'syscall_event_drops.simulate_drops', false),
  };
}

/** IPv4 or IPv6 (optionally with a `%zone`), the addresses Falco accepts for `webserver.listen_address`. */
function isIpAddress(text: string): boolean {
  const t = text.trim();
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(t)) return true;
  const [addr, zone] = t.split('%', 2) as [string, string | undefined];
  if (zone === '') return false;
  return isIPv6(addr);
}

function isIPv6(addr: string): boolean {
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  const last = all[all.length - 1];
  const v4Tail = last !== undefined && last.includes('.');
  if (v4Tail && !isIpAddress(last)) return false;
  const hex = v4Tail ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hex.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}

/**
 * Interprets a loaded tree. `configName` is the main configuration file as named on the command
 * line: Falco's validation errors read `Error reading config file (<name>): ...`.
 */
export function interpretConfig(tree: YamlMap, configName = ''): FalcoConfig {
  const bad = (message: string): string => `Error reading config file (${configName}): ${message}`;
  if (get(tree, 'rules_files') !== undefined && get(tree, 'rules_file') !== undefined) {
    throw configErrors.invalidValue('rules_file', bad("both 'rules_files' and 'rules_file' keys set"));
  }
  const rulesFiles = [...strList(tree, 'rules_files'), ...strList(tree, 'rules_file')];

  const engineKind = str(tree, 'engine.kind', 'modern_ebpf') as EngineKind;
  if (!ENGINE_KINDS.includes(engineKind)) {
    throw configErrors.invalidValue('engine.kind', bad(`engine.kind '${engineKind}' is not a valid kind.`));
  }
  const replayCaptureFile = str(tree, 'engine.replay.capture_file', '');
  if (engineKind === 'replay' && replayCaptureFile === '') {
    throw configErrors.invalidValue('engine.replay.capture_file', bad("engine.kind is 'replay' but no engine.replay.capture_file specified."));
  }
  const requireText = (enabledKey: string, key: string, what: string): string => {
    const value = str(tree, key, '');
    if (bool(tree, enabledKey, false) && value === '') throw configErrors.invalidValue(key, bad(what));
    return value;
  };
  const fileName = requireText('file_output.enabled', 'file_output.filename', 'file output enabled but no filename in configuration block');
  const programText = requireText('program_output.enabled', 'program_output.program', 'program output enabled but no program in configuration block');
  const httpUrl = requireText('http_output.enabled', 'http_output.url', 'http output enabled but no url in configuration block');
  const listenAddress = str(tree, 'webserver.listen_address', '0.0.0.0');
  if (!isIpAddress(listenAddress)) {
    throw configErrors.invalidValue('webserver.listen_address', bad(`webserver listen address "${listenAddress}" is not a valid IP address`));
  }
  if (num(tree, 'syscall_event_timeouts.max_consecutives', 1000) === 0) {
    // Falco writes this one without the blank before the parenthesis.
    throw configErrors.invalidValue('syscall_event_timeouts.max_consecutives', `Error reading config file(${configName}): the maximum consecutive timeouts without an event must be an unsigned integer > 0`);
  }
  const prioText = str(tree, 'priority', 'debug');
  const minPriority = parsePriority(prioText.trim());
  if (minPriority === undefined) {
    throw configErrors.invalidValue('priority', `Unknown priority "${prioText}"--must be one of ${PRIORITIES.map((p) => p.toLowerCase()).join(', ')}`);
  }

  const ruleMatching = str(tree, 'rule_matching', 'first');
  if (ruleMatching !== 'first' && ruleMatching !== 'all') {
    throw configErrors.invalidValue('rule_matching', `Unknown rule matching strategy "${ruleMatching}"--must be one of first, all`);
  }
  const logLevelText = str(tree, 'log_level', 'info').toLowerCase();
  const logLevel = (logLevelText === 'informational' ? 'info' : logLevelText) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw configErrors.invalidValue('log_level', `Unknown log level "${logLevelText}"`);

  const pluginsRaw = get(tree, 'plugins');
  const plugins = Array.isArray(pluginsRaw)
    ? pluginsRaw
        .filter((p): p is YamlMap => p !== null && typeof p === 'object' && typeof (p as YamlMap)['name'] === 'string')
        .map((p) => ({ name: String(p['name']), openParams: p['open_params'] === undefined ? '' : String(p['open_params']), initConfig: p['init_config'] }))
    : [];
  const appendRaw = get(tree, 'append_output');
  const customSet = get(tree, 'base_syscalls.custom_set') === undefined ? [] : strList(tree, 'base_syscalls.custom_set');

  return {
    rulesFiles,
    ruleSelections: ruleSelections(tree),
    engineKind,
    replayCaptureFile,
    minPriority,
    jsonOutput: bool(tree, 'json_output', false),
    jsonIncludeOutputProperty: bool(tree, 'json_include_output_property', true),
    jsonIncludeTagsProperty: bool(tree, 'json_include_tags_property', true),
    jsonIncludeMessageProperty: bool(tree, 'json_include_message_property', false),
    jsonIncludeOutputFieldsProperty: bool(tree, 'json_include_output_fields_property', true),
    timeFormatIso8601: bool(tree, 'time_format_iso_8601', false),
    bufferedOutputs: bool(tree, 'buffered_outputs', false),
    ruleMatching,
    stdout: { enabled: bool(tree, 'stdout_output.enabled', true) },
    file: {
      enabled: bool(tree, 'file_output.enabled', false),
      keepAlive: bool(tree, 'file_output.keep_alive', false),
      filename: fileName,
    },
    program: {
      enabled: bool(tree, 'program_output.enabled', false),
      keepAlive: bool(tree, 'program_output.keep_alive', false),
      program: programText,
    },
    syslog: { enabled: bool(tree, 'syslog_output.enabled', true) },
    http: {
      enabled: bool(tree, 'http_output.enabled', false),
      url: httpUrl,
      userAgent: str(tree, 'http_output.user_agent', 'falcosecurity/falco'),
    },
    logLevel,
    logStderr: bool(tree, 'log_stderr', true),
    logSyslog: bool(tree, 'log_syslog', true),
    drops: dropsConfig(tree, bad),
    ringBufferBytes: bufSizePreset(num(tree, 'engine.modern_ebpf.buf_size_preset', 4)),
    baseSyscalls: { customSet, repair: bool(tree, 'base_syscalls.repair', false), all: bool(tree, 'base_syscalls.all', false) },
    webserver: {
      enabled: bool(tree, 'webserver.enabled', false),
      listenPort: num(tree, 'webserver.listen_port', 8765),
      listenAddress,
      healthzEndpoint: str(tree, 'webserver.k8s_healthz_endpoint', '/healthz'),
      prometheusMetricsEnabled: bool(tree, 'webserver.prometheus_metrics_enabled', false),
      sslEnabled: bool(tree, 'webserver.ssl_enabled', false),
      sslCertificate: str(tree, 'webserver.ssl_certificate', '/etc/falco/falco.pem'),
      threadiness: num(tree, 'webserver.threadiness', 0),
    },
    metrics: {
      enabled: bool(tree, 'metrics.enabled', false),
      interval: str(tree, 'metrics.interval', '1h'),
      intervalMs: parseMetricsInterval(str(tree, 'metrics.interval', '1h')),
      outputRule: bool(tree, 'metrics.output_rule', true),
      outputFile: str(tree, 'metrics.output_file', ''),
    },
    loadPlugins: strList(tree, 'load_plugins'),
    plugins,
    watchConfigFiles: bool(tree, 'watch_config_files', true),
    outputTimeoutMs: num(tree, 'output_timeout', 2000),
    appendOutput: Array.isArray(appendRaw) ? appendRaw.filter((e): e is YamlMap => e !== null && typeof e === 'object') : [],
    capture: {
      enabled: bool(tree, 'capture.enabled', false),
      pathPrefix: str(tree, 'capture.path_prefix', '/tmp/falco'),
      mode: captureMode(str(tree, 'capture.mode', 'rules'), bad),
      defaultDurationMs: captureDuration(num(tree, 'capture.default_duration', 5000)),
    },
    ruleLoading: ruleLoading(tree, bad),
  };
}

/** A positive whole number at `path` (the default when absent). */
function positiveInt(tree: YamlMap, path: string, dflt: number, bad: (message: string) => string): number {
  const n = num(tree, path, dflt);
  if (Number.isInteger(n) && n > 0) return n;
  throw configErrors.invalidValue(path, bad(`${path} must be a positive integer, got ${n}`));
}

function ruleLoading(tree: YamlMap, bad: (message: string) => string): FalcoConfig['ruleLoading'] {
  const d = DEFAULT_LOAD_LIMITS;
  return {
    limits: {
      maxDocumentBytes: positiveInt(tree, 'rule_loading.max_document_bytes', d.maxDocumentBytes, bad),
      maxYamlDepth: positiveInt(tree, 'rule_loading.max_yaml_depth', d.maxYamlDepth, bad),
      maxConditionDepth: positiveInt(tree, 'rule_loading.max_condition_depth', d.maxConditionDepth, bad),
      maxExpansionNodes: positiveInt(tree, 'rule_loading.max_expansion_nodes', d.maxExpansionNodes, bad),
    },
    reloadTimeoutMs: positiveInt(tree, 'rule_loading.reload_timeout_ms', DEFAULT_RELOAD_TIMEOUT_MS, bad),
  };
}

/** How long a reload may take to prepare before it is abandoned (the previous rules keep running). */
export const DEFAULT_RELOAD_TIMEOUT_MS = 30_000;

function captureMode(mode: string, bad: (message: string) => string): CaptureMode {
  if (mode === 'rules' || mode === 'all_rules') return mode;
  throw configErrors.invalidValue('capture.mode', bad(`capture.mode '${mode}' is not a valid mode.`));
}

function captureDuration(ms: number): number {
  if (ms > 0) return ms;
  throw configErrors.invalidValue('capture.default_duration', `Error reading config file: capture.default_duration must be a positive number of milliseconds, got ${ms}`);
}

/** Falco's syscall buffer presets: preset n is 2^(n-1) MiB, 4 (8 MiB) being the default. */
function bufSizePreset(preset: number): number {
  if (Number.isInteger(preset) && preset >= 1 && preset <= 10) return 2 ** (preset - 1) * 1024 * 1024;
  throw configErrors.invalidValue('engine.modern_ebpf.buf_size_preset', `Error reading config file: engine.modern_ebpf.buf_size_preset must be an integer from 1 (1 MiB) to 10 (512 MiB), got ${preset}`);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Falco's interval syntax: one or more `<number><unit>` (`ms`, `s`, `m`, `h`, `d`, `w`), e.g. `1h`, `1m30s`, `500ms`. */
export function parseMetricsInterval(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = re.lastIndex;
  }
  if (text === '' || end !== text.length || total <= 0) {
    throw configErrors.invalidValue('metrics.interval', `Error reading config file: metrics.interval "${text}" is not a duration such as 15m, 1h or 30s`);
  }
  return total;
}
