/**
 * What `falco --version` reports. The libs, plugin API and engine numbers are the upstream
 * versions whose behaviour this implementation follows (Falco 0.42: libs 0.22.1, engine 0.57.0).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VersionInfo {
  falco_version: string;
  libs_version: string;
  plugin_api_version: string;
  engine_version: string;
  engine_version_semver: string;
  driver_api_version: string;
  driver_schema_version: string;
  default_driver_version: string;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function versionInfo(): VersionInfo {
  return {
    falco_version: packageVersion(),
    libs_version: '0.22.1',
    plugin_api_version: '3.10.0',
    engine_version: '57',
    engine_version_semver: '0.57.0',
    driver_api_version: '8.0.0',
    driver_schema_version: '3.0.0',
    default_driver_version: '8.0.0+driver',
  };
}

export function versionText(v: VersionInfo = versionInfo()): string {
  return [
    `Falco version: ${v.falco_version}`,
    `Libs version:  ${v.libs_version}`,
    `Plugin API:    ${v.plugin_api_version}`,
    `Engine:        ${v.engine_version_semver}`,
    'Driver:',
    `  API version:    ${v.driver_api_version}`,
    `  Schema version: ${v.driver_schema_version}`,
    `  Default driver: ${v.default_driver_version}`,
    '',
  ].join('\n');
}
