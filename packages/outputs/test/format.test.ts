import { DEFAULT_FORMAT, formatJson } from '@falco-ts/alert';
import { sampleAlert } from './helpers/alerts';
import { sidekickRejects } from './helpers/sidekick';

describe('alerts as the HTTP sink sends them', () => {
  it('are accepted by Falcosidekick, including alerts of rules without fields', () => {
    const opts = { ...DEFAULT_FORMAT, json: true };
    expect(sidekickRejects(JSON.parse(formatJson(sampleAlert(0), opts)))).toBeUndefined();
    const bare = sampleAlert(1, { outputFields: {} });
    const parsed = JSON.parse(formatJson(bare, opts));
    expect(parsed.output_fields).toEqual({ 'evt.time': Number(bare.timeNs) });
    expect(sidekickRejects(parsed)).toBeUndefined();
    // And the receiver's rules do reject what Falcosidekick rejects.
    expect(sidekickRejects({ ...parsed, output_fields: {} })).toBe('empty output_fields');
    expect(sidekickRejects({ ...parsed, priority: 'Loud' })).toBe('missing or unknown priority');
    expect(sidekickRejects({ ...parsed, rule: '' })).toBe('missing rule');
  });
});
