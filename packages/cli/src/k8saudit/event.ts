/** The audit event model lives in the engine (`@falco-ts/engine`, `src/k8saudit/`); re-exported for CLI modules. */
export { AuditInputError, auditEvent, parseAuditBody } from '@falco-ts/engine';
export type { AuditEvent, Json } from '@falco-ts/engine';
