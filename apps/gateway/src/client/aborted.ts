/** Reads `aborted` afresh: TypeScript narrows the property across awaits as if it could not change. */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
