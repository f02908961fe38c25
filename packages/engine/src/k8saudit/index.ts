export { auditEvent, isAuditEvent, parseAuditBody, parseAuditTimestamp, readAuditEvents } from './event';
export type { AuditEvent, AuditReadOptions, Json, JsonObject } from './event';
export { K8S_AUDIT_FIELDS, K8S_AUDIT_FIELD_CLASSES, jsonText, k8sAuditFields } from './fields';
export { K8S_AUDIT_SOURCE, PLUGIN_EVENT_CODE, createK8sAuditSource, readAuditFile } from './source';
export { K8S_AUDIT_DEFAULTS, bearerTokenMatches, parseInitConfig, parseOpenParams, parseWebhookBody, webhookRejection } from './webhook';
export type { AuditInput, AuditWebhookLimits, WebhookRejection } from './webhook';
