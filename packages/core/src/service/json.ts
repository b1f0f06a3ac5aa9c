import type { JsonObject, JsonValue } from './capabilities.js';

/**
 * Turns a value that came from outside (parsed JSON typed by some SDK) into core's JSON types.
 * Values are checked, not cast: what is not JSON (undefined fields, functions) is dropped and
 * non-finite numbers become null, so what core hands on is JSON-safe.
 */
export function toJsonValue(value: unknown): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (Array.isArray(value)) {
        return value.map((item) => toJsonValue(item) ?? null);
      }
      return toJsonObject(value);
    }
    default:
      return undefined;
  }
}

/** An object's JSON form; `{}` for anything that is not a plain object. */
export function toJsonObject(value: unknown): JsonObject {
  const out: JsonObject = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, field] of Object.entries(value)) {
    const json = toJsonValue(field);
    if (json !== undefined) out[key] = json;
  }
  return out;
}

/** Narrows a JSON value to an object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
