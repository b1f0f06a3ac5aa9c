import { createToken } from '@corral/core';
import type { ApiAdapter } from './api-adapter.js';
import type { ResolvedApiAdapterOptions } from './options.js';

/** The API adapter's own injection tokens (core's are in `CoreTokens`). */
export const ApiAdapterTokens = {
  /** The adapter the plugin made, provided to the root container for the app to use. */
  Adapter: createToken<ApiAdapter>('corral.api-adapter.Adapter'),
  /** Resolved options, registered in the adapter's own scope by `createApiAdapter`. */
  Options: createToken<ResolvedApiAdapterOptions>('corral.api-adapter.Options'),
} as const;
