// The registry: every module in this directory is listed here (a test checks it) and documented
// in docs/metadata.md (a test checks that too).
import type { ProviderDefinition } from '../provider';
import { dockerProvider } from './docker';
import { kubernetesProvider } from './kubernetes';
import { podmanProvider } from './podman';

export const containerProviders: readonly ProviderDefinition<'container', object>[] = [dockerProvider, podmanProvider] as const;
export const kubernetesProviders: readonly ProviderDefinition<'kubernetes', object>[] = [kubernetesProvider];
export const mesosProviders: readonly ProviderDefinition<'mesos', object>[] = [];

export const allProviders: readonly ProviderDefinition[] = [...containerProviders, ...kubernetesProviders, ...mesosProviders];
export const providerNames: readonly string[] = allProviders.map((p) => p.name);
