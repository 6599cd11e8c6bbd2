import { describe, expect, it } from 'vitest';
import { ApiModelError, ConflictError, formatFieldError, ValidationError } from '../../../../core/api/index.js';

describe('errors', () => {
  it('formats a field error as "path: rule"', () => {
    expect(formatFieldError({ path: 'spec.replicas', rule: 'must be >= 0', value: -1 })).toBe('spec.replicas: must be >= 0');
  });

  it('a ConflictError names the object and both versions, and keeps its cause', () => {
    const cause = new Error('compare failed');
    const error = new ConflictError({ kind: 'Deployment', namespace: 'default', name: 'web' }, '12', '15', { cause });
    expect(error).toBeInstanceOf(ApiModelError);
    expect(error.name).toBe('ConflictError');
    expect(error.code).toBe('CONFLICT');
    expect(error.expectedResourceVersion).toBe('12');
    expect(error.actualResourceVersion).toBe('15');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'conflict on Deployment default/web: the write was based on resourceVersion 12, but the object is at 15; read it again and retry',
    );
  });

  it('a ValidationError about an unknown object still reads', () => {
    expect(new ValidationError([{ path: '<root>', rule: 'must be an object', value: 3 }]).message).toBe('object is invalid: <root>: must be an object');
    expect(new ValidationError([{ path: 'kind', rule: 'is required', value: undefined }], { name: 'x' }).message).toBe('x is invalid: kind: is required');
  });
});
