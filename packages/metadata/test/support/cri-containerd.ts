// Starts a private containerd with its CRI plugin, for tests of the CRI provider: own root, state
// and socket; the native snapshotter; the runtime wrapper from dockerd.ts (so privileged works);
// images imported from an OCI layout built from busybox (pause and busybox). Pods use the node's
// network namespace, so no CNI plugin is needed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CRI_METHODS, CRI_TYPES, criClient } from '../../src/cri-api';
import { killProcessesUnder, unmountUnder, waitFor, writeRuntimeWrapper } from './dockerd';
import { buildOciImageTar } from './oci-image';

export const PAUSE_IMAGE = 'docker.io/falco-ts/pause:test';
export const BUSYBOX_IMAGE = 'docker.io/falco-ts/busybox:test';

export interface CriContainerd {
  readonly dir: string;
  readonly socketPath: string;
  stop(): Promise<void>;
}

export async function startCriContainerd(): Promise<CriContainerd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ftsc-'));
  const runtime = await writeRuntimeWrapper(dir);
  const socketPath = path.join(dir, 'c.sock');
  await fs.mkdir(path.join(dir, 'cni', 'bin'), { recursive: true });
  await fs.mkdir(path.join(dir, 'cni', 'conf'), { recursive: true });
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  await fs.writeFile(
    path.join(dir, 'config.toml'),
    [
      'version = 2',
      `root = "${dir}/root"`,
      `state = "${dir}/state"`,
      '[grpc]',
      `  address = "${socketPath}"`,
      `[${cri}]`,
      `  sandbox_image = "${PAUSE_IMAGE}"`,
      `[${cri}.containerd]`,
      '  snapshotter = "native"',
      '  default_runtime_name = "runc"',
      `[${cri}.containerd.runtimes.runc]`,
      '  runtime_type = "io.containerd.runc.v2"',
      `[${cri}.containerd.runtimes.runc.options]`,
      `  BinaryName = "${runtime}"`,
      `[${cri}.cni]`,
      `  bin_dir = "${dir}/cni/bin"`,
      `  conf_dir = "${dir}/cni/conf"`,
    ].join('\n'),
  );
  const log = await fs.open(path.join(dir, 'containerd.log'), 'a');
  const child: ChildProcess = spawn('containerd', ['--config', path.join(dir, 'config.toml')], {
    stdio: ['ignore', log.fd, log.fd],
    detached: true,
  });
  await log.close();
  const Client = criClient();
  const probe = new Client(`unix://${socketPath}`, grpc.credentials.createInsecure());
  await waitFor(
    () => new Promise<boolean>((r) => probe.Version({ version: 'v1' }, new grpc.Metadata(), { deadline: Date.now() + 500 }, (err) => r(!err))),
    20000,
    `containerd CRI at ${socketPath}`,
  );
  probe.close();
  const images = buildOciImageTar(path.join(dir, 'images.tar'), [
    { reference: PAUSE_IMAGE, entrypoint: ['/bin/sleep', '999999999'] },
    { reference: BUSYBOX_IMAGE },
  ]);
  const imported = spawnSync('ctr', ['-a', socketPath, '-n', 'k8s.io', 'images', 'import', '--snapshotter', 'native', images], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`ctr images import failed: ${imported.stderr}`);
  return {
    dir,
    socketPath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>((r) => child.once('exit', () => r()));
      }
      await killProcessesUnder(dir);
      await unmountUnder(dir);
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

const str = (id: number) => ({ type: 'string', id });
const map = (id: number) => ({ keyType: 'string', type: 'string', id });

/** The kubelet's side of the CRI, for creating pods and containers in tests. */
const KUBELET_TYPES = {
  ...CRI_TYPES,
  Int64Value: { fields: { value: { type: 'int64', id: 1 } } },
  NamespaceOption: { fields: { network: { type: 'int32', id: 1 }, pid: { type: 'int32', id: 2 }, ipc: { type: 'int32', id: 3 } } },
  LinuxSandboxSecurityContext: { fields: { namespace_options: { type: 'NamespaceOption', id: 1 }, privileged: { type: 'bool', id: 6 } } },
  LinuxPodSandboxConfig: { fields: { cgroup_parent: str(1), security_context: { type: 'LinuxSandboxSecurityContext', id: 2 } } },
  PodSandboxConfig: {
    fields: {
      metadata: { type: 'PodSandboxMetadata', id: 1 }, hostname: str(2), log_directory: str(3), labels: map(6), annotations: map(7),
      linux: { type: 'LinuxPodSandboxConfig', id: 8 },
    },
  },
  RunPodSandboxRequest: { fields: { config: { type: 'PodSandboxConfig', id: 1 }, runtime_handler: str(2) } },
  RunPodSandboxResponse: { fields: { pod_sandbox_id: str(1) } },
  PodSandboxIdRequest: { fields: { pod_sandbox_id: str(1) } },
  Empty: { fields: {} },
  KeyValue: { fields: { key: str(1), value: str(2) } },
  LinuxContainerSecurityContext: {
    fields: { privileged: { type: 'bool', id: 2 }, namespace_options: { type: 'NamespaceOption', id: 3 }, run_as_user: { type: 'Int64Value', id: 5 } },
  },
  LinuxContainerConfig: { fields: { resources: { type: 'LinuxContainerResources', id: 1 }, security_context: { type: 'LinuxContainerSecurityContext', id: 2 } } },
  ContainerConfig: {
    fields: {
      metadata: { type: 'ContainerMetadata', id: 1 }, image: { type: 'ImageSpec', id: 2 }, command: { rule: 'repeated', type: 'string', id: 3 },
      args: { rule: 'repeated', type: 'string', id: 4 }, envs: { rule: 'repeated', type: 'KeyValue', id: 6 },
      mounts: { rule: 'repeated', type: 'Mount', id: 7 }, labels: map(9), annotations: map(10), log_path: str(11),
      linux: { type: 'LinuxContainerConfig', id: 15 },
    },
  },
  CreateContainerRequest: { fields: { pod_sandbox_id: str(1), config: { type: 'ContainerConfig', id: 2 }, sandbox_config: { type: 'PodSandboxConfig', id: 3 } } },
  CreateContainerResponse: { fields: { container_id: str(1) } },
  ContainerIdRequest: { fields: { container_id: str(1), timeout: { type: 'int64', id: 2 } } },
};

const KUBELET_METHODS = {
  ...CRI_METHODS,
  RunPodSandbox: { requestType: 'RunPodSandboxRequest', responseType: 'RunPodSandboxResponse' },
  StopPodSandbox: { requestType: 'PodSandboxIdRequest', responseType: 'Empty' },
  RemovePodSandbox: { requestType: 'PodSandboxIdRequest', responseType: 'Empty' },
  CreateContainer: { requestType: 'CreateContainerRequest', responseType: 'CreateContainerResponse' },
  StartContainer: { requestType: 'ContainerIdRequest', responseType: 'Empty' },
  StopContainer: { requestType: 'ContainerIdRequest', responseType: 'Empty' },
  RemoveContainer: { requestType: 'ContainerIdRequest', responseType: 'Empty' },
};

type AnyUnary = (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Record<string, unknown>) => void) => void;

export class Kubelet {
  private readonly client: grpc.Client & Record<string, AnyUnary>;

  constructor(socketPath: string) {
    const Client = criClient<grpc.Client & Record<string, AnyUnary>>(KUBELET_TYPES, KUBELET_METHODS);
    this.client = new Client(`unix://${socketPath}`, grpc.credentials.createInsecure());
  }

  call(method: keyof typeof KUBELET_METHODS, req: object): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.client[method]!.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + 30000 }, (err, res) =>
        err ? reject(err) : resolve(res ?? {}),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
