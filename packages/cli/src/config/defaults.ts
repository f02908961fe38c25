/**
 * What `falco` runs on when no configuration is installed (no `-c` and no /etc/falco/falco.yaml):
 * the default rules this package ships and container metadata on, as a Falco package gives through
 * its falco.yaml (`rules_files: [/etc/falco/falco_rules.yaml, ...]`) and
 * config.d/falco.container_plugin.yaml (`load_plugins: [container]`). Every other key keeps
 * Falco's default. An explicit `-c FILE` gets exactly what FILE says, as in Falco.
 */
import { join } from 'node:path';
import type { YamlMap } from './override';

/**
 * The default rules file inside the installed package, copied into dist/rules at build from the
 * repository's rules/ (the package root is two levels up from both src/config and dist/config).
 */
export const SHIPPED_RULES_FILE = join(__dirname, '..', '..', 'dist', 'rules', 'falco_rules.yaml');

export function shippedDefaults(): YamlMap {
  return {
    rules_files: [SHIPPED_RULES_FILE],
    load_plugins: ['container'],
    plugins: [{ name: 'container', library_path: 'libcontainer.so', init_config: {} }],
  };
}
