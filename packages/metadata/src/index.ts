export { MetadataService } from './service';
export type { MetadataServiceOptions, MetadataCounters, HealthReport } from './service';
export type {
  ContainerInfo,
  ContainerMount,
  ContainerRuntime,
  ContainerHealthcheck,
  CriPodIdentity,
  K8sMetadata,
  K8sPodInfo,
  MesosMetadata,
  ObjectRef,
} from './types';
export type { ProviderHealth, WatchHealth, ConnectionState, ProviderDefinition, ProviderKind } from './provider';
export { allProviders, providerNames } from './providers';
export { MetadataError, MetadataConfigError, ProviderError } from './errors';
export type { MetadataErrorCode, MetadataErrorContext } from './errors';
export { parseImageRef } from './image-ref';
export { containerField, k8sField, mesosField, formatLabels, CONTAINER_FIELDS, K8S_FIELDS, MESOS_FIELDS } from './fields';
export type { FieldValue } from './fields';
export { optionsFromContainerPluginConfig, k8smetaPluginConfig, optionsFromMesosConfig } from './falco-config';
export type { K8smetaPluginConfig } from './falco-config';
export { watchCluster } from './cluster';
export type { ClusterChange, ClusterResource, ClusterWatch, ClusterWatchOptions } from './cluster';
