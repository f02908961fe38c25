export { openCapture, LiveCapture } from './capture';
export type { CaptureOptions, LiveCaptureStats } from './capture';
