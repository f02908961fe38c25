// The registry: every module in this directory is listed here (a test checks it) and documented
// in docs/metadata.md (a test checks that too).
import type { ProviderDefinition } from '../provider';
import { containerdProvider } from './containerd';
import { criProvider } from './cri';
import { dockerProvider } from './docker';
import { kubernetesProvider } from './kubernetes';
import { marathonProvider } from './marathon';
import { mesosProvider } from './mesos';
import { podmanProvider } from './podman';

export const containerProviders: readonly ProviderDefinition<'container', object>[] = [dockerProvider, podmanProvider, containerdProvider, criProvider];
export const kubernetesProviders: readonly ProviderDefinition<'kubernetes', object>[] = [kubernetesProvider];
// Mesos before Marathon: Marathon joins through the task Mesos resolved.
export const mesosProviders: readonly ProviderDefinition<'mesos', object>[] = [mesosProvider, marathonProvider];

export const allProviders: readonly ProviderDefinition[] = [...containerProviders, ...kubernetesProviders, ...mesosProviders];
export const providerNames: readonly string[] = allProviders.map((p) => p.name);
