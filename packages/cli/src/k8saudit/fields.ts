/** The `ka.*`/`json.*`/`jevt.*` fields live in the engine (`@falco-ts/engine`, `src/k8saudit/fields.ts`). */
export { K8S_AUDIT_FIELDS, jsonText, k8sAuditFields } from '@falco-ts/engine';
