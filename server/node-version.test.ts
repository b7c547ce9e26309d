import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeTooOld, OLDEST_NODE } from './node-version.ts';

describe('the oldest Node.js Wirelab runs on', () => {
  it('refuses an older one in both languages, naming both versions', () => {
    const refusal = nodeTooOld('v20.20.2');
    expect(refusal).toContain(`it needs Node.js ${OLDEST_NODE} or newer`);
    expect(refusal).toContain('this is v20.20.2');
    expect(refusal).toContain(`нужен Node.js ${OLDEST_NODE} или новее`);
    expect(nodeTooOld('v22.13.1')).not.toBeNull();
  });

  it('takes it and every newer one', () => {
    for (const version of [`v${OLDEST_NODE}`, 'v22.14.1', 'v22.22.0', 'v24.21.0', 'v26.1.0']) expect(nodeTooOld(version), version).toBeNull();
  });

  it('is the one package.json’s engines and the README name', () => {
    const root = join(import.meta.dirname, '..');
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node).toBe(`>=${OLDEST_NODE}`);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`Node.js ${OLDEST_NODE}`);
  });

  it('is the one CI starts the server on', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '.ci', 'run'), 'utf8')).toContain(`oldest_node=${OLDEST_NODE}`);
  });
});
