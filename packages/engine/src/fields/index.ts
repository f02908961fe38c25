export { SYSCALL_FIELDS, FIELD_CLASSES } from './catalogue';
export { FieldCatalogue } from './lookup';
export type { FieldReference, LookupResult } from './lookup';
export type {
  FieldArgRule,
  FieldArgSpec,
  FieldClass,
  FieldClassName,
  FieldFlags,
  FieldType,
  SyscallFieldInfo,
} from './types';
import { SYSCALL_FIELDS } from './catalogue';
import { FieldCatalogue } from './lookup';

/** The catalogue of every `syscall` source field, with name and argument resolution. */
export const syscallFieldCatalogue = new FieldCatalogue(SYSCALL_FIELDS);
