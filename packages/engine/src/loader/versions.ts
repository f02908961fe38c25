/**
 * Version numbers of the engine and of plugins, compared as Falco does: `x.y.z` read as three
 * unsigned integers (anything after the third is ignored), compatible when the major versions are
 * equal and the available version is at least the required one.
 */
import type { PluginRequirement } from './infos';

/** The rules engine version this implementation answers to (Falco 0.42's). */
export const ENGINE_VERSION = '0.57.0';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const m = /^\s*\+?(\d+)\.\+?(\d+)\.\+?(\d+)/.exec(text);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![major, minor, patch].every((n) => n <= 0xffffffff)) return undefined;
  return { major, minor, patch };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `available` satisfies `required`: same major, not older. */
export function isCompatible(available: Version, required: Version): boolean {
  return available.major === required.major && compareVersions(available, required) >= 0;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export interface LoadedPlugin {
  readonly name: string;
  readonly version: string;
}

/**
 * Checks every requirement (one named plugin and its alternatives) against the loaded plugins:
 * the first alternative that names a loaded plugin decides. Returns the first failure as Falco
 * words it, or undefined when all are met.
 */
export function checkPluginRequirements(
  requirements: readonly (readonly PluginRequirement[])[],
  plugins: readonly LoadedPlugin[],
): string | undefined {
  for (const alternatives of requirements) {
    const failure = checkAlternatives(alternatives, plugins);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function checkAlternatives(alternatives: readonly PluginRequirement[], plugins: readonly LoadedPlugin[]): string | undefined {
  for (const req of alternatives) {
    const plugin = plugins.find((p) => p.name === req.name);
    if (!plugin) continue;
    const have = parseVersion(plugin.version);
    if (!have) return `Plugin '${plugin.name}' has invalid version string '${plugin.version}'`;
    const want = parseVersion(req.version);
    if (!want || !isCompatible(have, want)) {
      return `Plugin '${plugin.name}' version '${plugin.version}' is not compatible with required plugin version '${req.version}'`;
    }
    return undefined;
  }
  const names = alternatives.map((a) => `${a.name} (>= ${a.version})`).join(', ');
  return `Plugin requirement not satisfied, must load one of: ${names}`;
}
