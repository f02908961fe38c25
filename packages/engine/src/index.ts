export {
  SYSCALL_FIELDS,
  FIELD_CLASSES,
  FieldCatalogue,
  syscallFieldCatalogue,
} from './fields';
export type {
  FieldArgRule,
  FieldArgSpec,
  FieldClass,
  FieldClassName,
  FieldFlags,
  FieldType,
  FieldReference,
  LookupResult,
  SyscallFieldInfo,
} from './fields';
export type { EventSource, EventTypeTable } from './source';
export { Engine } from './engine';
export type { ProcessOptions, RuleMatching } from './engine';
export { RulesLoadError, EngineUsageError } from './errors';
export { LoadResult } from './loader/result';
export type { DiagnosticJson, LoadDiagnostic, LoadResultJson } from './loader/result';
export { LoadContext } from './loader/context';
export type { Location, SourcePosition } from './loader/context';
export { ERROR_CODES, WARNING_CODES, ERROR_TEXT, WARNING_TEXT, WARNING_DESCRIPTION } from './loader/messages';
export type { ItemType, LoadErrorCode, LoadWarningCode } from './loader/messages';
export { PRIORITY_NAMES, parsePriority, priorityName } from './loader/priority';
export type { Priority, PriorityName } from './loader/priority';
export { ENGINE_VERSION, checkPluginRequirements, parseVersion } from './loader/versions';
export type { LoadedPlugin, Version } from './loader/versions';
export type { CompiledRule, ExtraOutputField, ExtraOutputFormat } from './loader/compiler';
export type { EngineDescription, ListDescription, MacroDescription, RuleDescription } from './loader/describe';
export { DEFAULT_RULESET } from './ruleset/rulesets';
export { eventCodesOf } from './ruleset/evttypes';
export { parseFormat } from './output/format';
export type { FieldSegment, FormatSegment, ParsedFormat } from './output/format';
export { compileFormat, renderValue } from './output/compiled-format';
export type { CompiledFormat, OutputFieldValue } from './output/compiled-format';
export { alertJson, alertText, clockTime, isoTime } from './output/alert';
export type { Alert, AlertJsonOptions, AlertTextOptions } from './output/alert';
export { syscallEventTypes } from './ruleset/syscall-event-types';
