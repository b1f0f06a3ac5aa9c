import type { jsonSchemaValidator } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { describe, expect, it } from 'vitest';
import { SchemaValidatorCache } from '../src/schema-validator-cache.js';

const textSchema = () => ({
  type: 'object',
  properties: { text: { type: 'string' } },
  required: ['text'],
});

/** A real ajv engine that counts what it is asked to compile. */
function countingEngines(): {
  create: () => jsonSchemaValidator;
  engines: number;
  compiles: number;
} {
  const counts = {
    engines: 0,
    compiles: 0,
    create: (): jsonSchemaValidator => {
      counts.engines++;
      const engine = new AjvJsonSchemaValidator();
      return {
        getValidator: (schema) => {
          counts.compiles++;
          return engine.getValidator(schema);
        },
      };
    },
  };
  return counts;
}

describe('SchemaValidatorCache', () => {
  it('compiles equal schemas once, and still validates', () => {
    const counts = countingEngines();
    const cache = new SchemaValidatorCache(256, counts.create);
    const first = cache.getValidator(textSchema());
    const again = cache.getValidator(textSchema()); // a new object, as after a re-listing
    expect(again).toBe(first);
    expect(counts.compiles).toBe(1);
    expect(first({ text: 'hi' })).toEqual({ valid: true, data: { text: 'hi' } });
    const bad = first({ text: 3 });
    expect(bad.valid).toBe(false);
    expect(bad.errorMessage).toContain('must be string');
  });

  it('starts a fresh engine past its capacity of distinct schemas', () => {
    const counts = countingEngines();
    const cache = new SchemaValidatorCache(3, counts.create);
    const validators = [0, 1, 2, 3].map((n) =>
      cache.getValidator({ type: 'string', maxLength: n }),
    );
    expect(counts.engines).toBe(2);
    expect(cache.size).toBe(1);
    // One handed out before the reset keeps working.
    expect(validators[0]?.('').valid).toBe(true);
    expect(validators[0]?.('x').valid).toBe(false);
  });
});
