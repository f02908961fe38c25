/**
 * netpol.* extractors: the NetworkPolicy verdict of the flow an event starts. Flows start at the
 * exit of connect (whatever its result: a refused or pending connect is an attempt), of accept
 * (the server side of a completed connection), and of a UDP send that gave its socket a new peer.
 * The tuple comes from the event (client → server); when the local address is unspecified (an
 * unbound socket's failed connect, an unconnected UDP socket) the pod address of the thread's
 * container stands in for it. The verdict comes from the host's provider, once per event.
 */
import { decodeSocktuple, EVENT_TABLE } from '@falco-ts/driver';
import type { FieldValue } from '@falco-ts/filter-lang';
import type { PolicyEnd, PolicySide, PolicyVerdict } from '../../syscall/netpol';
import { paramIndex } from '../../syscall/params';
import type { SyscallEvent } from '../event';
import type { ExtractorFactory } from './common';

const IPPROTO_UDP = 17;

type FlowStart = 'connect' | 'accept' | 'send';

const STARTS: Record<string, FlowStart> = { connect: 'connect', accept: 'accept', accept4: 'accept', sendto: 'send', sendmsg: 'send' };

/** Per event type: the kind of flow start its exit event is, and where its tuple parameter is. */
const FLOW_START: readonly (FlowStart | undefined)[] = EVENT_TABLE.map((e) => (e.dir === 'exit' ? STARTS[e.name] : undefined));
const TUPLE_INDEX: readonly number[] = EVENT_TABLE.map((e) => (e.dir === 'exit' && STARTS[e.name] ? paramIndex(e.id, 'tuple') : -1));

export interface EventFlow {
  readonly verdict: PolicyVerdict;
  /** The event's process is the flow's source (connect, send), not its destination (accept). */
  readonly localIsSource: boolean;
}

function unspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '::ffff:0.0.0.0' || ip === '';
}

function podAddress(e: SyscallEvent): string | undefined {
  const t = e.state.thread;
  if (t === undefined || t.containerId === '') return undefined;
  const c = e.state.metadata.lookup(t.containerId);
  return c?.k8s?.podIp ?? c?.ip;
}

function computeFlow(e: SyscallEvent): EventFlow | undefined {
  const provider = e.state.networkPolicy;
  if (provider === undefined) return undefined;
  const v = e.view;
  const start = FLOW_START[v.type];
  if (start === undefined) return undefined;
  const info = e.state.fdInfo;
  if (start === 'send' && (info === undefined || info.l4proto !== IPPROTO_UDP || info.tupleSetAt !== e.num)) return undefined;
  const ti = TUPLE_INDEX[v.type]!;
  if (ti < 0 || ti >= v.nparams || v.paramLength(ti) === 0) return undefined;
  const tuple = decodeSocktuple(v.paramBytes(ti));
  if (tuple === null || (tuple.family !== 'inet' && tuple.family !== 'inet6')) return undefined;
  const localIsSource = start !== 'accept';
  let sourceIp = tuple.sip;
  let destinationIp = tuple.dip;
  if (localIsSource && unspecified(sourceIp)) sourceIp = podAddress(e) ?? sourceIp;
  if (!localIsSource && unspecified(destinationIp)) destinationIp = podAddress(e) ?? destinationIp;
  if (unspecified(sourceIp) || unspecified(destinationIp) || tuple.dport === 0) return undefined;
  const protocol = start === 'send' || info?.l4proto === IPPROTO_UDP ? 'UDP' : 'TCP';
  const verdict = provider.evaluate({ sourceIp, destinationIp, port: tuple.dport, protocol });
  return verdict === undefined ? undefined : { verdict, localIsSource };
}

let memoView: SyscallEvent | undefined;
let memoNum = -1;
let memoFlow: EventFlow | undefined;

/** The flow the current event starts and its verdict, computed at most once per event. */
export function eventFlow(e: SyscallEvent): EventFlow | undefined {
  if (e.num !== memoNum || e !== memoView) {
    memoFlow = computeFlow(e);
    memoNum = e.num;
    memoView = e;
  }
  return memoFlow;
}

function flowField(read: (f: EventFlow) => FieldValue): ExtractorFactory {
  return () => (e) => {
    const f = eventFlow(e);
    return f === undefined ? undefined : read(f);
  };
}

const local = (f: EventFlow): PolicyEnd => (f.localIsSource ? f.verdict.source : f.verdict.destination);
const peer = (f: EventFlow): PolicyEnd => (f.localIsSource ? f.verdict.destination : f.verdict.source);
const localSide = (f: EventFlow): PolicySide => (f.localIsSource ? f.verdict.egress : f.verdict.ingress);

export const NETPOL_EXTRACTORS: Record<string, ExtractorFactory> = {
  'netpol.verdict': flowField((f) => f.verdict.verdict),
  'netpol.policies': flowField((f) => f.verdict.policies),
  'netpol.direction': flowField((f) => (f.localIsSource ? 'egress' : 'ingress')),
  'netpol.egress.verdict': flowField((f) => f.verdict.egress.verdict),
  'netpol.egress.reason': flowField((f) => f.verdict.egress.reason),
  'netpol.egress.policies': flowField((f) => f.verdict.egress.policies),
  'netpol.ingress.verdict': flowField((f) => f.verdict.ingress.verdict),
  'netpol.ingress.reason': flowField((f) => f.verdict.ingress.reason),
  'netpol.ingress.policies': flowField((f) => f.verdict.ingress.policies),
  'netpol.local.kind': flowField((f) => local(f).kind),
  'netpol.local.name': flowField((f) => local(f).identity),
  'netpol.peer.kind': flowField((f) => peer(f).kind),
  'netpol.peer.name': flowField((f) => peer(f).identity),
  'netpol.peer.namespace': flowField((f) => peer(f).namespace),
  'netpol.peer.listed': flowField((f) => localSide(f).peerListed),
};

