/**
 * A private dockerd for these tests (the metadata package's test engine, started the way the
 * event generator's live tests start it) and the few Engine API calls the tests make themselves.
 */
import { request } from '../../src/http';

export { startTestDocker, BUSYBOX_IMAGE, type TestDocker } from '../../../../tools/event-generator/test/support/dockerd';

export const socketOf = (dockerHost: string): string => dockerHost.replace(/^unix:\/\//, '');

async function api(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request({ method, url: path, socketPath, headers: { 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), timeoutMs: 60000 });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
  return { status: res.status, json: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
}

/** Creates and starts `sleep 600` in the busybox image; returns the full id. */
export async function runSleeper(socketPath: string, image: string, name: string): Promise<string> {
  const created = await api(socketPath, 'POST', `/containers/create?name=${name}`, { Image: image, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
  const id = String(created.json.Id);
  await api(socketPath, 'POST', `/containers/${id}/start`);
  return id;
}

export async function containerState(socketPath: string, id: string): Promise<{ Running: boolean; Paused: boolean; Status: string }> {
  return (await api(socketPath, 'GET', `/containers/${id}/json`)).json.State as { Running: boolean; Paused: boolean; Status: string };
}

export async function removeContainer(socketPath: string, id: string): Promise<void> {
  await request({ method: 'DELETE', url: `/containers/${id}?force=true`, socketPath, timeoutMs: 60000 });
}
