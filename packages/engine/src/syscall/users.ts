/**
 * Users and groups, per container: the host's (container id '') from /etc/passwd and /etc/group or
 * from a capture's user and group blocks, and each container's from the capture or, live, from the
 * container's own /etc files (read through /proc/PID/root when first needed).
 */
import { readFileSync } from 'node:fs';

export interface UserInfo {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  readonly homedir: string;
  readonly shell: string;
}

export interface GroupInfo {
  readonly gid: number;
  readonly name: string;
}

export class UserTable {
  private readonly users = new Map<string, Map<number, UserInfo>>();
  private readonly groups = new Map<string, Map<number, GroupInfo>>();

  addUser(containerId: string, u: UserInfo): void {
    let m = this.users.get(containerId);
    if (m === undefined) this.users.set(containerId, (m = new Map()));
    m.set(u.uid, u);
  }

  addGroup(containerId: string, g: GroupInfo): void {
    let m = this.groups.get(containerId);
    if (m === undefined) this.groups.set(containerId, (m = new Map()));
    m.set(g.gid, g);
  }

  hasContainer(containerId: string): boolean {
    return this.users.has(containerId) || this.groups.has(containerId);
  }

  /** Marks a container as loaded even when it had no files, so it is not read again. */
  markLoaded(containerId: string): void {
    if (!this.users.has(containerId)) this.users.set(containerId, new Map());
    if (!this.groups.has(containerId)) this.groups.set(containerId, new Map());
  }

  user(containerId: string, uid: number): UserInfo | undefined {
    return this.users.get(containerId)?.get(uid);
  }

  group(containerId: string, gid: number): GroupInfo | undefined {
    return this.groups.get(containerId)?.get(gid);
  }

  /** Loads a passwd-format text for a container. Malformed lines are skipped. */
  loadPasswd(containerId: string, text: string): void {
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const f = line.split(':');
      if (f.length < 7) continue;
      const uid = Number(f[2]);
      const gid = Number(f[3]);
      if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
      this.addUser(containerId, { uid, gid, name: f[0]!, homedir: f[5]!, shell: f[6]! });
    }
  }

  /** Loads a group-format text for a container. */
  loadGroup(containerId: string, text: string): void {
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const f = line.split(':');
      if (f.length < 3) continue;
      const gid = Number(f[2]);
      if (!Number.isInteger(gid)) continue;
      this.addGroup(containerId, { gid, name: f[0]! });
    }
  }

  /**
   * Reads passwd and group under `root` (`/` for the host, `/proc/PID/root` for a container).
   * Missing or unreadable files leave the container with no users; that is not an error.
   */
  loadFromRoot(containerId: string, root: string): void {
    const base = root.endsWith('/') ? root : `${root}/`;
    this.markLoaded(containerId);
    try {
      this.loadPasswd(containerId, readFileSync(`${base}etc/passwd`, 'utf8'));
    } catch {
      // no passwd file (distroless images, exited processes): users stay unknown
    }
    try {
      this.loadGroup(containerId, readFileSync(`${base}etc/group`, 'utf8'));
    } catch {
      // likewise
    }
  }
}
