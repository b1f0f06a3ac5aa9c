import type { JsonSchema } from './types.js';

/**
 * A starting point for a tool's arguments: every required property (and every property when
 * there are few) with its default, first enum value, or an empty value of its type.
 */
export function argumentsTemplate(schema: JsonSchema): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(properties);
  const wanted = names.length <= 3 ? names : names.filter((name) => required.has(name));
  const template: Record<string, unknown> = {};
  for (const name of wanted) {
    const property = properties[name];
    if (property !== undefined) template[name] = exampleValue(property);
  }
  return template;
}

function exampleValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  const type: unknown = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return argumentsTemplate(schema);
    default:
      return null;
  }
}

/** Parses the arguments a user typed: a JSON object, or a message saying what is wrong. */
export function parseArguments(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `Arguments are not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'Arguments must be a JSON object, e.g. {"message": "hi"}.' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
