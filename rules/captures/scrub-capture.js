#!/usr/bin/env node
/**
 * Keeps, from a raw live capture, only what a shipped demo capture should hold: the events of one
 * process tree (the workload's root pid and every process and thread it cloned), the root's parent
 * as the only process of the initial table (without descriptors), and only the users and groups
 * those processes run as. Everything else the kernel saw on the recording machine (other
 * processes, their arguments and environments, the machine's users) is dropped.
 *
 *   node scrub-capture.js RAW.scap OUT.scap.gz ROOT_PID [UID,...]
 *
 * Processes of the tree already running when the capture started stay in the table with their
 * descriptors; extra UIDs keep those users and groups (a workload's non-root login).
 *
 * Uses the driver's reader and writer (build it first: pnpm build).
 */
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const driver = require(join(__dirname, '../../packages/driver/dist/index.js'));

const { RECORD, RECORD_PREFIX_SIZE, SCAP_HEADER_SIZE } = driver;
const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** Index of the `cgroups` parameter of each event type that has one. */
const CGROUPS_PARAM = new Map();
driver.EVENT_TABLE.forEach((info, type) => {
  const i = (info?.params ?? []).findIndex((p) => p[0] === 'cgroups');
  if (i >= 0) CGROUPS_PARAM.set(type, i);
});

const OPENS = new Set(['open', 'openat', 'openat2', 'creat']);
const MACHINE_PATHS = /^\/(sys|lib|lib64)\/|^\/usr\/(local\/)?lib\//;

function paramIndex(type, name) {
  return (driver.EVENT_TABLE[type]?.params ?? []).findIndex((p) => p[0] === name);
}

/** The record with parameter `index` replaced by `payload` (lengths updated). */
function replaceParam(ev, index, payload) {
  const lenSize = driver.paramLenSize(ev.type);
  const n = ev.nparams;
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(i === index ? payload : ev.paramBytes(i));
  const bodyLen = parts.reduce((sum, b) => sum + b.length, 0);
  const len = SCAP_HEADER_SIZE + n * lenSize + bodyLen;
  const out = new Uint8Array(RECORD_PREFIX_SIZE + len);
  const dv = new DataView(out.buffer);
  out.set(ev.data.subarray(ev.offset, ev.offset + RECORD.PARAM_LENS)); // prefix and header
  dv.setUint32(RECORD.LEN, len, true);
  let at = RECORD.PARAM_LENS;
  for (const b of parts) {
    if (lenSize === 2) dv.setUint16(at, b.length, true);
    else dv.setUint32(at, b.length, true);
    at += lenSize;
  }
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function neutralCgroups(bytes) {
  const entries = Buffer.from(bytes).toString('utf8').split('\0').filter((e) => e !== '');
  return new Uint8Array(Buffer.from(entries.map((e) => `${e.split('=')[0]}=/\0`).join(''), 'utf8'));
}
const PARAM_RES = 0;
const PARAM_PTID = 5;

/** The table's threads whose parent chain reaches `root` (root included). */
function tableSubtree(threads, root) {
  const inTree = (t, depth) => t !== undefined && depth < 64 && (t.tid === root || t.pid === root || inTree(threads.get(t.ptid), depth + 1));
  return [...threads.values()].filter((t) => inTree(t, 0));
}

async function main([raw, out, rootText, uidsText]) {
  if (!raw || !out || !rootText) throw new Error('usage: scrub-capture.js RAW.scap OUT.scap.gz ROOT_PID [UID,...]');
  const root = Number(rootText);
  const extraIds = (uidsText ?? '').split(',').filter(Boolean).map(Number);
  const { state, batches } = driver.readScapBuffer(readFileSync(raw));
  const subtree = tableSubtree(state.threads, root);
  const keep = new Set([root, ...subtree.map((t) => t.tid)]);
  const cursor = new driver.BatchCursor();
  const kept = [];
  let parentTid;
  for (const batch of batches) {
    cursor.reset(batch);
    while (cursor.next()) {
      const ev = cursor.view;
      if (CLONES.has(ev.name) && ev.dir === '<') {
        const res = ev.int(PARAM_RES);
        if (res === 0 && keep.has(ev.int(PARAM_PTID))) keep.add(ev.tid); // the child's side
        if (res === 0 && ev.tid === root) parentTid = ev.int(PARAM_PTID);
        if (res > 0 && keep.has(ev.tid)) keep.add(res); // the parent's side
      }
      if (!keep.has(ev.tid)) continue;
      if (OPENS.has(ev.name)) {
        const at = paramIndex(ev.type, 'name');
        if (at >= 0 && at < ev.nparams && MACHINE_PATHS.test(ev.str(at))) continue;
      }
      const cg = CGROUPS_PARAM.get(ev.type);
      kept.push(cg !== undefined && cg < ev.nparams ? replaceParam(ev, cg, neutralCgroups(ev.paramBytes(cg))) : ev.data.slice(ev.offset, ev.offset + ev.recordSize));
    }
  }
  parentTid ??= state.threads.get(root)?.ptid;
  const parent = parentTid === undefined ? undefined : state.threads.get(parentTid);
  const threads = (parent ? [{ ...parent, fds: [] }] : []).concat(subtree);
  const uids = new Set(threads.map((t) => t.uid).concat([0], extraIds));
  const gids = new Set(threads.map((t) => t.gid).concat([0], extraIds));
  const { writer, done } = driver.ScapWriter.toFile(out, { compress: true });
  await writer.begin({
    machine: state.machine,
    threads,
    users: state.users.filter((u) => uids.has(u.uid)),
    groups: state.groups.filter((g) => gids.has(g.gid)),
  });
  // One batch per 4096 records, in the order they were captured.
  for (let i = 0; i < kept.length; i += 4096) {
    const slice = kept.slice(i, i + 4096);
    const byteLength = slice.reduce((n, r) => n + r.length, 0);
    const data = new Uint8Array(byteLength);
    let at = 0;
    for (const r of slice) {
      data.set(r, at);
      at += r.length;
    }
    await writer.writeBatch({ data, count: slice.length, byteLength });
  }
  await writer.end();
  await done;
  process.stderr.write(`scrub: kept ${kept.length} events of ${keep.size} threads (root ${root}, parent ${parentTid ?? 'unknown'})\n`);
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`scrub: ${e.message}\n`);
  process.exit(1);
});
