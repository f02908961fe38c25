/** `--list-plugins` and `--plugin-info`: the built-in plugins the configuration loads. */
import type { AppContext } from '../context';
import { usageErrors } from '../errors';
import { BUILTIN_PLUGINS, describePlugin, findPlugin, type BuiltinPlugin } from '../plugins';

/** The plugins `load_plugins` selects; an unknown name is an error, as a missing library is in Falco. */
export function loadedPlugins(ctx: AppContext): BuiltinPlugin[] {
  const out: BuiltinPlugin[] = [];
  for (const name of ctx.config.loadPlugins) {
    const p = findPlugin(name);
    if (!p) throw usageErrors.bad(`Cannot load plugin '${name}': this detector has the built-in plugins ${BUILTIN_PLUGINS.map((b) => b.name).join(', ')}`);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

export function printPlugins(ctx: AppContext): number {
  const plugins = loadedPlugins(ctx);
  if (ctx.cli.pluginInfo !== undefined) {
    const p = findPlugin(ctx.cli.pluginInfo);
    if (!p) throw usageErrors.bad(`Plugin '${ctx.cli.pluginInfo}' is not a built-in plugin (${BUILTIN_PLUGINS.map((b) => b.name).join(', ')})`);
    ctx.io.stdout(describePlugin(p, true));
    return 0;
  }
  ctx.io.stdout(`${plugins.length} Plugins Loaded:\n\n${plugins.map((p) => describePlugin(p, false)).join('\n')}`);
  return 0;
}
