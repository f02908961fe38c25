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
