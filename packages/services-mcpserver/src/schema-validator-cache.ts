import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

/** Distinct schemas held before the engine, and everything it compiled, is started afresh. */
export const SCHEMA_VALIDATOR_CAPACITY = 256;

/**
 * The JSON Schema validator a connection's SDK `Client` uses, compiling each distinct schema
 * once. The SDK compiles every tool's `outputSchema` again after each re-listing, and ajv keeps
 * each compiled copy (keyed by the schema object, new every time) for the client's life: a
 * server whose tools churn, called all day, grew the gateway's heap without bound. Here equal
 * schemas share one validator, and past `capacity` distinct ones the engine is replaced (the
 * validators already handed out keep working).
 */
export class SchemaValidatorCache implements jsonSchemaValidator {
  private engine: jsonSchemaValidator;
  private readonly validators = new Map<string, JsonSchemaValidator<unknown>>();

  constructor(
    private readonly capacity = SCHEMA_VALIDATOR_CAPACITY,
    private readonly createEngine: () => jsonSchemaValidator = () => new AjvJsonSchemaValidator(),
  ) {
    this.engine = createEngine();
  }

  /** Distinct schemas compiled by the current engine. */
  get size(): number {
    return this.validators.size;
  }

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const key = JSON.stringify(schema);
    let validator = this.validators.get(key);
    if (validator === undefined) {
      if (this.validators.size >= this.capacity) {
        this.validators.clear();
        this.engine = this.createEngine();
      }
      validator = this.engine.getValidator<unknown>(schema);
      this.validators.set(key, validator);
    }
    // The validator checks the input against this schema: what it passes is a T.
    return validator as JsonSchemaValidator<T>;
  }
}
