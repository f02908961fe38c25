/**
 * Fields the built-in plugins add to the `syscall` source, and what `-L` reports about them.
 *
 * Falco's json plugin declares no event source, so its `json.*`/`jevt.*` fields compile in
 * syscall rules too. It extracts only from plugin events, which a syscall stream never carries:
 * on syscall events the fields have no value and a check on them is false (as in Falco, where the
 * extraction is not even attempted for syscall event types).
 */
import {
  K8S_AUDIT_FIELDS,
  SyscallFieldRegistry,
  syscallFieldCatalogue,
  type DescribedPlugin,
} from '@falco-ts/engine';
import type { BuiltinPlugin } from '../plugins';

// The compiler's field definition type, as the syscall registry returns it.
type Resolved = ReturnType<SyscallFieldRegistry['resolve']>;

const JSON_FIELDS = K8S_AUDIT_FIELDS.filter((f) => f.className === 'json');

/** Plugin events are absent from a syscall stream: nothing to extract. */
const noPluginPayload = (): undefined => undefined;

function jsonDefinition(name: string, arg: string | undefined): Resolved {
  const f = JSON_FIELDS.find((j) => j.name === name);
  if (f === undefined) return undefined;
  if (f.arg === 'key' && (arg === undefined || arg === '')) return { error: `filter ${name} requires an argument` };
  if (f.arg === 'none' && arg !== undefined) return { error: `filter ${name} does not support arguments` };
  return {
    name,
    type: f.type === 'uint64' ? 'uint64' : 'charbuf',
    arg: f.arg === 'key' ? { kind: 'required', form: 'key' } : { kind: 'none' },
    description: f.description,
    extract: noPluginPayload,
  };
}

/** The syscall field registry plus the json plugin's fields (first the syscall ones). */
export class SyscallFieldsWithJsonPlugin extends SyscallFieldRegistry {
  private readonly pluginResolved = new Map<string, Resolved>();

  override resolve(name: string, arg: string | undefined): Resolved {
    const own = super.resolve(name, arg);
    if (own !== undefined) return own;
    const key = arg === undefined ? name : `${name}\u0000${arg}`;
    if (!this.pluginResolved.has(key)) this.pluginResolved.set(key, jsonDefinition(name, arg));
    return this.pluginResolved.get(key);
  }
}

/** A syscall field registry for the loaded plugins, or undefined for the plain one. */
export function syscallFieldsFor(plugins: readonly BuiltinPlugin[]): SyscallFieldRegistry | undefined {
  return plugins.some((p) => p.name === 'json') ? new SyscallFieldsWithJsonPlugin() : undefined;
}

/** What each loaded plugin implements or extracts, for `details.plugins` in `-L` JSON. */
export function describedPlugins(plugins: readonly BuiltinPlugin[]): DescribedPlugin[] {
  return plugins.map((p): DescribedPlugin => {
    if (p.name === 'json') return { name: p.name, fields: JSON_FIELDS.map((f) => f.name) };
    if (p.name === 'k8saudit') {
      return { name: p.name, source: p.eventSource, fields: K8S_AUDIT_FIELDS.filter((f) => f.className === 'k8saudit').map((f) => f.name) };
    }
    // Falco 0.42's container plugin supplies the container.* and k8s.* fields of syscall events.
    if (p.name === 'container') {
      return { name: p.name, fields: syscallFieldCatalogue.fields.filter((f) => f.className === 'container' || f.className === 'k8s').map((f) => f.name) };
    }
    if (p.name === 'k8smeta') {
      return { name: p.name, fields: syscallFieldCatalogue.fields.filter((f) => f.className === 'k8smeta').map((f) => f.name) };
    }
    return { name: p.name, source: p.eventSource, fields: [] };
  });
}
