// Run with: npx tsx packages/alert/examples/render.ts
import { createAlert, formatJson, formatText } from '@falco-ts/alert';

const alert = createAlert({
  rule: 'Read sensitive file untrusted',
  priority: 'Warning',
  source: 'syscall',
  hostname: 'web-1',
  output: 'Sensitive file opened for reading (file=/etc/shadow proc=cat)',
  tags: ['filesystem'],
  outputFields: { 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'proc.pid': 4242 },
  timeNs: 1_726_240_940_545_718_604n,
});

export const text = formatText(alert, true);
export const json = formatJson(alert, { utcOffsetMinutes: 0 });

if (require.main === module) console.log(`${text}\n${json}`);
