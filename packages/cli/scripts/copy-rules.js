// Build step: the default rules file ships inside the package (dist/rules/falco_rules.yaml), so that
// `falco` with no configuration installed loads it. Its one source is the repository's rules/.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

cpSync(join(__dirname, '..', '..', '..', 'rules', 'falco_rules.yaml'), join(__dirname, '..', 'dist', 'rules', 'falco_rules.yaml'));
