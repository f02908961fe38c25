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
export { RulesLoadError, EngineUsageError, LoadAbandoned } from './errors';
export { LoadResult } from './loader/result';
export { DEFAULT_LOAD_LIMITS } from './loader/limits';
export type { LoadLimits } from './loader/limits';
export type { DiagnosticJson, LoadDiagnostic, LoadResultJson } from './loader/result';
export { LoadContext } from './loader/context';
export type { Location, SourcePosition } from './loader/context';
export { ERROR_CODES, WARNING_CODES, ERROR_TEXT, WARNING_TEXT, WARNING_DESCRIPTION } from './loader/messages';
export type { ItemType, LoadErrorCode, LoadWarningCode } from './loader/messages';
export { ENGINE_VERSION, checkPluginRequirements, parseVersion } from './loader/versions';
export type { LoadedPlugin, Version } from './loader/versions';
export type { CompiledRule, ExtraOutputField, ExtraOutputFormat } from './loader/compiler';
export type { DescribedPlugin, EngineDescription, ListDescription, MacroDescription, RuleDescription } from './loader/describe';
export { DEFAULT_RULESET } from './ruleset/rulesets';
export { eventCodesOf } from './ruleset/evttypes';
export { parseFormat } from './output/format';
export type { FieldSegment, FormatSegment, ParsedFormat } from './output/format';
export { compileFormat, renderValue } from './output/compiled-format';
export type { CompiledFormat } from './output/compiled-format';
export { syscallEventTypes } from './ruleset/syscall-event-types';
export { SyscallFieldRegistry, syscallFieldRegistry } from './fields/registry';
export { SyscallEvent } from './fields/event';
export { SyscallSource } from './syscall/source';
export type { SyscallSourceOptions } from './syscall/source';
export { SyscallState } from './syscall/state';
export { DNS_NAMES, DnsNames, SYSTEM_RESOLVER } from './syscall/dns-names';
export type { NameResolver } from './syscall/dns-names';
export type { SyscallStateOptions } from './syscall/state';
export { NO_CONTAINER_METADATA } from './syscall/metadata';
export type { ContainerInfo, ContainerMetadataProvider, ContainerMount, KubernetesObjectInfo, KubernetesPodInfo, MesosTaskInfo } from './syscall/metadata';
export type { NetworkPolicyProvider, PolicyEnd, PolicyFlow, PolicyProtocol, PolicySide, PolicyVerdict } from './syscall/netpol';
export { containerFromCgroupPath, containerFromCgroups } from './syscall/cgroups';
export type { CgroupContainer, ContainerRuntime } from './syscall/cgroups';
export { FdKind } from './syscall/fd-types';
export type { FdSeed, InitialState, ThreadSeed } from './syscall/seed';
export { scanProc } from './syscall/proc-scan';
export type { ProcScanOptions } from './syscall/proc-scan';
export { DEFAULT_LIMITS } from './syscall/thread-table';
export type { ThreadTableLimits } from './syscall/thread-table';
export { AuditConfigError, AuditInputError } from './errors';
export {
  K8S_AUDIT_DEFAULTS,
  K8S_AUDIT_FIELDS,
  K8S_AUDIT_FIELD_CLASSES,
  K8S_AUDIT_SOURCE,
  PLUGIN_EVENT_CODE,
  auditEvent,
  bearerTokenMatches,
  createK8sAuditSource,
  isAuditEvent,
  jsonText,
  k8sAuditFields,
  parseAuditBody,
  parseAuditTimestamp,
  parseInitConfig,
  parseOpenParams,
  parseWebhookBody,
  readAuditEvents,
  readAuditFile,
  webhookRejection,
} from './k8saudit';
export type { AuditEvent, AuditInput, AuditReadOptions, AuditWebhookLimits, Json, JsonObject, WebhookRejection } from './k8saudit';
