export type { Alert, AlertInit, FieldValue } from './alert';
export { INTERNAL_SOURCE, createAlert, defaultHostname, internalAlert, nowNs } from './alert';
export type { PriorityLevel, PriorityName } from './priority';
export { PRIORITIES, parsePriority, priorityLevel, priorityName } from './priority';
export type { FormatOptions } from './render';
export { DEFAULT_FORMAT, escapeControls, formatAlert, formatJson, formatText, isoTime, outputFieldsJson, textTime, unescapedText } from './render';
