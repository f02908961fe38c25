export { openCapture, LiveCapture } from './capture';
export type { CaptureOptions, LiveCaptureStats } from './capture';
export { DEFAULT_LIVE_SYSCALLS, STATE_SYSCALLS, RULES_5_1_SYSCALLS, DATA_SYSCALLS } from './syscall-sets';
export { runCapture, parseCaptureArgs } from './capture-command';
export type { CaptureArgs } from './capture-command';
