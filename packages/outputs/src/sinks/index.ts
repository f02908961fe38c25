/** Every sink, in the order alerts are handed to them. One entry per file in this directory. */
import type { SinkDefinition } from '../sink';
import { fileSink } from './file';
import { grpcSink } from './grpc';
import { httpSink } from './http';
import { natsSink } from './nats';
import { programSink } from './program';
import { stdoutSink } from './stdout';
import { syslogSink } from './syslog';

export const SINKS: readonly SinkDefinition[] = [
  stdoutSink,
  fileSink,
  syslogSink,
  programSink,
  httpSink,
  natsSink,
  grpcSink,
] as unknown as readonly SinkDefinition[];
