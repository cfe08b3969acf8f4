import { describe, expect, it } from 'vitest';
import { checkValue } from './schema.js';

describe('returns checker', () => {
  const schema = {
    type: 'object',
    additionalProperties: 0,
    properties: {
      id: { type: 'string' },
      count: { type: 'integer', optional: 1, minimum: 0 },
      template: { type: 'boolean', optional: 1 },
      kind: { type: 'string', enum: ['a', 'b'], optional: 1 },
      'net[n]': { type: 'string', optional: 1 },
    },
  };
  it('accepts what fits, with Perl booleans as 0/1 and collapsed keys', () => {
    expect(checkValue(schema, { id: 'x', count: 2, template: 1, net3: 'virtio' }, 'r')).toEqual([]);
  });
  it('reports type, enum, range, missing and extra properties', () => {
    expect(checkValue(schema, { count: -1, template: 'yes', kind: 'c', extra: 1 }, 'r')).toEqual([
      "r: missing property 'id'",
      'r.count: -1 below minimum 0',
      'r.template: expected boolean, got "yes"',
      "r.kind: 'c' not in enum a,b",
      "r: property 'extra' not allowed",
    ]);
    expect(checkValue({ type: 'integer' }, '100', 'nextid')).toEqual(['nextid: expected integer, got "100"']);
    expect(checkValue({ type: 'integer' }, '100', 'nextid', { integerAsString: true })).toEqual([]);
    expect(checkValue({ type: 'array', items: { type: 'string' } }, ['a', 2], 'l')).toEqual([
      'l[1]: expected string, got 2',
    ]);
    expect(checkValue({ type: 'null' }, null, 'n')).toEqual([]);
  });
});
