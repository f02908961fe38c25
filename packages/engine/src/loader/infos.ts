/**
 * What the reader collects from the YAML: one record per list, macro and rule (after appends and
 * overrides), plus version requirements. These are plain data; compilation happens later.
 */
import type { LoadContext } from './context';
import type { PriorityLevel } from '@falco-ts/alert';

export interface ListInfo {
  name: string;
  items: string[];
  ctx: LoadContext;
  /** Definition order of the first definition (redefinitions keep it). */
  index: number;
  /** Order of the last definition/append: items defined before it are visible to it. */
  visibility: number;
}

export interface MacroInfo {
  name: string;
  cond: string;
  ctx: LoadContext;
  condCtx: LoadContext;
  index: number;
  visibility: number;
}

/** A `fields`/`comps`/`values` entry of an exception: a scalar or a (nested) list. */
export interface ExceptionEntry {
  isList: boolean;
  item: string;
  items: ExceptionEntry[];
}

export function entryIsValid(e: ExceptionEntry | undefined): boolean {
  if (!e) return false;
  return e.isList ? e.items.length > 0 : e.item !== '';
}

export interface ExceptionInfo {
  name: string;
  ctx: LoadContext;
  fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
}

export interface RuleInfo {
  name: string;
  ctx: LoadContext;
  cond: string;
  condCtx: LoadContext;
  output: string;
  outputCtx: LoadContext;
  desc: string;
  priority: PriorityLevel;
  source: string;
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration: number;
  /** Kept sorted and unique, as Falco stores tags in an ordered set. */
  tags: string[];
  exceptions: ExceptionInfo[];
  unknownSource: boolean;
  index: number;
  visibility: number;
}

/** A rule item that appends to or replaces parts of an earlier rule. */
export interface RuleUpdateInfo {
  name: string;
  ctx: LoadContext;
  /** The `source` the update names, when it names one (must match the rule's). */
  source?: string;
  cond?: string;
  output?: string;
  desc?: string;
  tags?: string[];
  exceptions?: ExceptionInfo[];
  priority?: PriorityLevel;
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
  capture?: boolean;
  captureDuration?: number;
}

export interface PluginRequirement {
  name: string;
  version: string;
}

export interface PluginVersionInfo {
  ctx: LoadContext;
  /** The first entry is the named plugin; the rest are its accepted alternatives. */
  alternatives: PluginRequirement[];
}
