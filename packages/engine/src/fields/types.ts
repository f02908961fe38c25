/**
 * The shape of a syscall field definition. Names, value types, flags and argument rules are those
 * of libsinsp (Falco 0.42/0.44) and of the container plugin, because rules written for Falco must
 * compile against this registry exactly as they do there.
 */

/**
 * Value types as libsinsp names them (its `PT_*` parameter types, lower-cased, without the prefix).
 * `dynamic` is the type of `evt.rawarg.*`, which takes the type of the named event parameter.
 */
export type FieldType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'charbuf'
  | 'bytebuf'
  | 'abstime'
  | 'reltime'
  | 'bool'
  | 'ipaddr'
  | 'ipnet'
  | 'port'
  | 'double'
  | 'fspath'
  | 'fsrelpath'
  | 'dynamic';

/** Whether a field takes an argument (`proc.aname[2]`, `proc.env[HOME]`, `evt.arg.fd`). */
export type FieldArgRule = 'none' | 'required' | 'optional';

export interface FieldArgSpec {
  readonly rule: FieldArgRule;
  /** A numeric argument is accepted (`proc.aname[2]`, `evt.arg[0]`). */
  readonly index: boolean;
  /** A name argument is accepted (`proc.env[HOME]`, `evt.arg.fd`). */
  readonly key: boolean;
  /**
   * The argument may also follow the field name after a dot (`evt.arg.fd`, `thread.cgroup.cpu`,
   * `container.label.app`). `bracket` says whether the `[arg]` form is accepted as well.
   */
  readonly dotted: boolean;
  readonly bracket: boolean;
}

export interface FieldFlags {
  /** Returns several values (`fd.types`). */
  readonly list: boolean;
  /** Usable in conditions only, not in outputs (`fd.ip`, `fd.net`). */
  readonly filterOnly: boolean;
  /** Usable in outputs only (`evt.outputtime`). */
  readonly printOnly: boolean;
  /** Meant for table views; hidden from the fields reference by default. */
  readonly tableOnly: boolean;
  readonly deprecated: boolean;
  /** The field may not be compared against another field (`val(...)`) on the right-hand side. */
  readonly noRhs: boolean;
  /** Transformers (`tolower(...)`, …) may not be applied to the field. */
  readonly noTransformer: boolean;
}

/** The field classes, as in the fields reference (`falco --list`). */
export type FieldClassName =
  | 'evt'
  | 'evt.syscall'
  | 'process'
  | 'user'
  | 'group'
  | 'container'
  | 'fd'
  | 'fs.path'
  | 'fdlist'
  | 'k8s'
  | 'k8smeta'
  | 'mesos'
  | 'netpol';

export interface FieldClass {
  readonly name: FieldClassName;
  readonly title: string;
  readonly description: string;
}

export interface SyscallFieldInfo {
  readonly name: string;
  readonly type: FieldType;
  readonly className: FieldClassName;
  readonly description: string;
  readonly arg: FieldArgSpec;
  readonly flags: FieldFlags;
}
