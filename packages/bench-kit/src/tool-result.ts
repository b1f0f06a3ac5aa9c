/**
 * The text of the first content item of a `callTool` result, or '' when it has none: how a
 * benchmark checks an echo came back right without trusting the result's shape.
 */
export function toolResultText(result: unknown): string {
  if (typeof result !== 'object' || result === null || !('content' in result)) return '';
  const first: unknown = Array.isArray(result.content) ? result.content[0] : undefined;
  return typeof first === 'object' &&
    first !== null &&
    'text' in first &&
    typeof first.text === 'string'
    ? first.text
    : '';
}
