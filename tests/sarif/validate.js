// Validates SARIF files against the SARIF 2.1.0 schema shipped in @microsoft/jest-sarif,
// with ajv. Exit 0 valid, 1 invalid, 77 (skip) when the test-only packages are absent.
'use strict';
const fs = require('fs');
const path = require('path');
let Ajv, schema;
try {
  Ajv = require('ajv');
  schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
} catch (e) {
  console.error('sarif: test-only packages missing (npm ci --prefix tests/sarif); skipping');
  process.exit(77);
}
const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);
let failed = false;
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!validate(doc)) {
    failed = true;
    console.error(`${file}: invalid SARIF`);
    for (const err of validate.errors) console.error(`  ${err.dataPath} ${err.message}`);
  }
  for (const run of doc.runs || []) {
    for (const [i, result] of (run.results || []).entries()) {
      const loc = result.locations && result.locations[0] && result.locations[0].physicalLocation;
      if (!loc || !loc.artifactLocation || !loc.artifactLocation.uri) {
        failed = true;
        console.error(`${file}: result ${i} has no physicalLocation.artifactLocation.uri`);
      }
      if (!result.partialFingerprints || !result.partialFingerprints['vpcgate/v1']) {
        failed = true;
        console.error(`${file}: result ${i} has no partialFingerprints["vpcgate/v1"]`);
      }
    }
  }
  if (!failed) console.log(`${file}: valid SARIF 2.1.0 (${path.basename(file)})`);
}
process.exit(failed ? 1 : 0);
