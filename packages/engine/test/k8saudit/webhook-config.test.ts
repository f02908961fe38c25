import { AuditConfigError, AuditInputError } from '../../src/errors';
import { K8S_AUDIT_DEFAULTS, bearerTokenMatches, parseInitConfig, parseOpenParams, webhookRejection } from '../../src/k8saudit';

const noFile = (p: string): string => {
  throw new Error(`ENOENT: ${p}`);
};

describe('k8saudit plugin configuration', () => {
  it('reads open_params as a file, a webhook address, or the embedded endpoint', () => {
    expect(parseOpenParams('')).toEqual({ kind: 'embedded' });
    expect(parseOpenParams('/var/log/audit.json')).toEqual({ kind: 'file', path: '/var/log/audit.json' });
    expect(parseOpenParams('http://:9765/k8s-audit')).toEqual({ kind: 'webhook', tls: false, host: '0.0.0.0', port: 9765, endpoint: '/k8s-audit' });
    expect(parseOpenParams('https://127.0.0.1:8443/audit')).toEqual({ kind: 'webhook', tls: true, host: '127.0.0.1', port: 8443, endpoint: '/audit' });
    expect(parseOpenParams('https://[::1]')).toEqual({ kind: 'webhook', tls: true, host: '::1', port: 443, endpoint: '/' });
    expect(() => parseOpenParams('ftp://x/y')).toThrow(AuditConfigError);
    expect(() => parseOpenParams('http://:99999/x')).toThrow(/bad port/);
  });

  it('reads init_config with the plugin defaults', () => {
    expect(parseInitConfig(undefined, noFile)).toEqual({ maxEventBytes: 262144, maxBodyBytes: 12582912, sslCertificate: K8S_AUDIT_DEFAULTS.sslCertificate, bearerToken: undefined });
    expect(parseInitConfig('{"maxEventSize": 100, "webhookMaxBatchSize": "2000", "webhookBearerToken": "s3cret"}', noFile)).toEqual({
      maxEventBytes: 100,
      maxBodyBytes: 2000,
      sslCertificate: K8S_AUDIT_DEFAULTS.sslCertificate,
      bearerToken: 's3cret',
    });
    expect(parseInitConfig({ webhookBearerTokenFile: '/t' }, () => 'tok\n').bearerToken).toBe('tok');
    expect(() => parseInitConfig({ maxEventSize: -1 }, noFile)).toThrow(/maxEventSize/);
    expect(() => parseInitConfig({ webhookBearerTokenFile: '/missing' }, noFile)).toThrow(/ENOENT/);
    expect(() => parseInitConfig('{bad', noFile)).toThrow(/not JSON/);
  });

  it('matches bearer tokens exactly', () => {
    expect(bearerTokenMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerTokenMatches('bearer s3cret', 's3cret')).toBe(true);
    expect(bearerTokenMatches('Bearer s3cre', 's3cret')).toBe(false);
    expect(bearerTokenMatches('Bearer s3crets', 's3cret')).toBe(false);
    expect(bearerTokenMatches('Basic s3cret', 's3cret')).toBe(false);
    expect(bearerTokenMatches(undefined, 's3cret')).toBe(false);
  });

  it('maps input errors to HTTP statuses', () => {
    expect(webhookRejection(new AuditInputError('K8SAUDIT_TOO_LARGE', 'm', { source: 'webhook' })).status).toBe(413);
    expect(webhookRejection(new AuditInputError('K8SAUDIT_BAD_JSON', 'm', { source: 'webhook' })).reason).toBe('bad_json');
    expect(webhookRejection(new AuditInputError('K8SAUDIT_NOT_AUDIT_EVENT', 'm', { source: 'webhook' })).status).toBe(400);
  });
});
