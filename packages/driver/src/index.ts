export * from './batch';
export * from './errors';
export * from './schema';
export { EventView, BatchCursor } from './view/event-view';
export {
  decodeParam,
  decodeValue,
  decodeSockaddr,
  decodeSocktuple,
  decodeFdlist,
  ipv4ToString,
  ipv6ToString,
  PPM_AF,
} from './view/decode';
export type { ParamValue, SockAddr, SockTuple, FdListEntry, DynValue, IpNet } from './view/decode';
export { renderArgs, renderParam, renderValue, relPathDirfd, paramName, bufferText, eventTypeName } from './view/render';
export type { RenderOptions } from './view/render';
export { BatchBuilder, encode } from './batch-builder';
export type { EventSpec } from './batch-builder';
// Live capture loads on first call (see ./live/lazy): importing the package stays cheap for readers.
export { openCapture, runCapture } from './live/lazy';
export { DEFAULT_LIVE_SYSCALLS, STATE_SYSCALLS, RULES_5_1_SYSCALLS, DATA_SYSCALLS } from './live/syscall-sets';
export { openFds, withOpenFds, scapOpenFlags } from './live/lazy';
export type { CaptureOptions, LiveCaptureStats, LiveCapture } from './live/capture';
export type { CaptureArgs } from './live/capture-command';
export { ScapReader, openScap, readScapBuffer } from './scap/reader';
export type { ReadOptions, ScapContents } from './scap/reader';
export { ScapParser, CaptureStats } from './scap/parser';
export type { ParserOptions } from './scap/parser';
export { BLOCK, blockName } from './scap/blocks';
export { FD_TYPE } from './scap/state';
export type { InitialState, SectionHeader, MachineInfo, ThreadInfo, FdInfo, UserInfo, GroupInfo, InterfaceInfo } from './scap/state';
export { ScapWriter, writeScapFile } from './scap/writer';
export type { WriterOptions, CaptureMetadata } from './scap/writer';
export { newThread, emptyState } from './scap/state';
export { summarizeCapture, formatTimestamp } from './scap/summary';
export type { CaptureSummary } from './scap/summary';
