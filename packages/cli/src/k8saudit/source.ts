/** The `k8s_audit` event source lives in the engine (`@falco-ts/engine`, `src/k8saudit/source.ts`). */
export { K8S_AUDIT_SOURCE, createK8sAuditSource, readAuditFile } from '@falco-ts/engine';
