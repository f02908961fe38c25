/**
 * Validation of falco.yaml values with Falco 0.44's error text, one row per check of
 * falcosecurity/falco userspace/falco/configuration.cpp (load_engine_config, load_yaml).
 */
import { interpretConfig } from '../../src/config/falco-config';
import { applyOverride, type YamlMap } from '../../src/config/override';

const NAME = '/etc/falco/falco.yaml';
const bad = (m: string): string => `Error reading config file (${NAME}): ${m}`;

describe('falco.yaml validation as configuration.cpp words it', () => {
  it.each<[string, YamlMap, string]>([
    ['load_engine_config: unknown engine.kind', { engine: { kind: 'ebpf' } }, bad("engine.kind 'ebpf' is not a valid kind.")],
    ['load_engine_config: gVisor was removed in 0.44', { engine: { kind: 'gvisor' } }, bad("engine.kind 'gvisor' is not a valid kind.")],
    ['load_engine_config: replay without a capture file', { engine: { kind: 'replay' } }, bad("engine.kind is 'replay' but no engine.replay.capture_file specified.")],
    ['load_yaml: rules_files and rules_file', { rules_files: ['a.yaml'], rules_file: ['b.yaml'] }, bad("both 'rules_files' and 'rules_file' keys set")],
    ['load_yaml: file output without filename', { file_output: { enabled: true } }, bad('file output enabled but no filename in configuration block')],
    ['load_yaml: program output without program', { program_output: { enabled: true } }, bad('program output enabled but no program in configuration block')],
    ['load_yaml: http output without url', { http_output: { enabled: true } }, bad('http output enabled but no url in configuration block')],
    ['load_yaml: webserver listen address', { webserver: { listen_address: 'localhost' } }, bad('webserver listen address "localhost" is not a valid IP address')],
    ['load_yaml: unknown drop action', { syscall_event_drops: { actions: ['shout'] } }, bad('available actions for syscall event drops are "ignore", "log", "alert", and "exit"')],
    ['load_yaml: log after ignore', { syscall_event_drops: { actions: ['ignore', 'log'] } }, bad('syscall event drop action "log" does not make sense with the "ignore" action')],
    ['load_yaml: alert after ignore', { syscall_event_drops: { actions: ['ignore', 'alert'] } }, bad('syscall event drop action "alert" does not make sense with the "ignore" action')],
    ['load_yaml: threshold above 1', { syscall_event_drops: { threshold: 1.1 } }, bad('syscall event drops threshold must be a double in the range [0, 1]')],
    ['load_yaml: negative threshold', { syscall_event_drops: { threshold: -1 } }, bad('syscall event drops threshold must be a double in the range [0, 1]')],
    ['load_yaml: zero consecutive timeouts', { syscall_event_timeouts: { max_consecutives: 0 } }, `Error reading config file(${NAME}): the maximum consecutive timeouts without an event must be an unsigned integer > 0`],
    ['load_yaml: capture.mode', { capture: { mode: 'some' } }, bad("capture.mode 'some' is not a valid mode.")],
    ['load_yaml: rule_matching', { rule_matching: 'test' }, 'Unknown rule matching strategy "test"--must be one of first, all'],
    ['load_yaml: priority', { priority: 'loud' }, 'Unknown priority "loud"--must be one of emergency, alert, critical, error, warning, notice, informational, debug'],
  ])('%s', (_what, tree, message) => {
    expect(() => interpretConfig(tree, NAME)).toThrow(message);
  });

  it.each<[string, YamlMap]>([
    ['ignore after log is accepted (the check is order-dependent)', { syscall_event_drops: { actions: ['log', 'ignore'] } }],
    ['IPv6 listen address', { webserver: { listen_address: '::1' } }],
    ['IPv6 listen address with a zone', { webserver: { listen_address: 'fe80::1%eth0' } }],
    ['kmod is a valid kind (it fails when the run opens its device)', { engine: { kind: 'kmod' } }],
  ])('accepts: %s', (_what, tree) => {
    expect(() => interpretConfig(tree, NAME)).not.toThrow();
  });

  it('no drop action at all means ignore', () => {
    expect(interpretConfig({ syscall_event_drops: { actions: [] } }, NAME).drops.actions).toEqual(['ignore']);
    expect(interpretConfig({}, NAME).drops.actions).toEqual(['ignore']);
  });
});

describe('-o as configuration.cpp set_cmdline_option reads it', () => {
  it('refuses a value without "=" with Falco\'s text', () => {
    expect(() => applyOverride({}, 'json_output')).toThrow('Error parsing config option "json_output". Must be of the form key=val or key.subkey=val');
  });
});
