import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { podTemplateHash } from '../../../../../core/controllers/index.js';
import { template } from '../fixtures.js';

describe('podTemplateHash', () => {
  it('is 7 lowercase alphanumeric characters, the same for the same template', () => {
    const hash = podTemplateHash(template());
    expect(hash).toMatch(/^[0-9a-z]{7}$/);
    expect(podTemplateHash(template())).toBe(hash);
  });

  it('does not depend on key order', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Always' as const } };
    const b = { spec: { restartPolicy: 'Always' as const, containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web' } } };
    expect(podTemplateHash(a)).toBe(podTemplateHash(b));
  });

  it('ignores the pod-template-hash label and empty metadata', () => {
    const t = template();
    const labelled = { ...t, metadata: { labels: { ...t.metadata?.labels, 'pod-template-hash': 'abc' } } };
    expect(podTemplateHash(labelled)).toBe(podTemplateHash(t));
    expect(podTemplateHash({ metadata: {}, spec: t.spec })).toBe(podTemplateHash({ spec: t.spec }));
  });

  it('changes with the template and with the collision count', () => {
    const base = podTemplateHash(template('web:1'));
    expect(podTemplateHash(template('web:2'))).not.toBe(base);
    expect(podTemplateHash(template('web:1'), 1)).not.toBe(base);
    expect(podTemplateHash(template('web:1'), 1)).not.toBe(podTemplateHash(template('web:1'), 2));
  });

  it('tells apart different images (property: no collision among 500 random ones)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 500, maxLength: 500 }), (images) => {
        const hashes = new Set(images.map((image) => podTemplateHash(template(image))));
        expect(hashes.size).toBe(images.length);
      }),
      { numRuns: 5 },
    );
  });
});
