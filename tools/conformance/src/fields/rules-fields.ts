/**
 * The fields a rules file reads: every field token of its conditions, macros and outputs that the
 * syscall source knows (`proc.aname[2]` with its argument, `evt.arg.flags` with its name).
 * Tokens are found in the file's text; the source's own format compiler decides which are fields,
 * so a word like `k8s.io` in a list is dropped.
 */
import { readFileSync } from 'node:fs';
import { SyscallSource, compileFormat, type EventSource, type SyscallEvent } from '@falco-ts/engine';

const TOKEN = /(?<![\w.%-])%?([a-z][a-z0-9_]*\.[a-zA-Z0-9_.]*[a-zA-Z0-9_](?:\[[^\]\s"']+\])?)/g;

/** The syscall fields `files` use, in order of first appearance. */
export function rulesFields(files: readonly string[]): string[] {
  const src = new SyscallSource({ hostname: 'fields' }) as unknown as EventSource<SyscallEvent>;
  const out = new Set<string>();
  const rejected = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(TOKEN)) {
      const token = m[1]!;
      if (out.has(token) || rejected.has(token)) continue;
      if (isField(token, src)) out.add(token);
      else rejected.add(token);
    }
  }
  return [...out];
}

function isField(token: string, src: EventSource<SyscallEvent>): boolean {
  try {
    return compileFormat(`%${token}`, src).fieldNames.length === 1;
  } catch {
    return false;
  }
}
