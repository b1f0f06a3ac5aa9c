import type { JsonObject, JsonValue } from '@corral/core';
import { isJsonObject } from '@corral/core';

/** Maps a URI of the server behind to the one clients use. */
export type UriMapper = (original: string) => string;

/**
 * The URIs inside content a server returned, mapped to the ones a client can read back through
 * the aggregator: `resource_link` blocks and embedded `resource` blocks (tool results, prompt
 * messages), and `contents[].uri` of a read. Everything else is left as it is.
 */
export function rewriteContentUris(content: readonly JsonObject[], map: UriMapper): JsonObject[] {
  return content.map((block) => rewriteBlock(block, map));
}

/** A prompt message's content block. */
export function rewriteMessageUris(messages: readonly JsonObject[], map: UriMapper): JsonObject[] {
  return messages.map((message) => {
    const content = message['content'];
    if (isJsonObject(content)) return { ...message, content: rewriteBlock(content, map) };
    if (Array.isArray(content)) {
      return {
        ...message,
        content: content.map((c: JsonValue) => (isJsonObject(c) ? rewriteBlock(c, map) : c)),
      };
    }
    return message;
  });
}

/** `contents` of a `resources/read` result. */
export function rewriteResourceContents(
  contents: readonly JsonObject[],
  map: UriMapper,
): JsonObject[] {
  return contents.map((item) => withUri(item, map));
}

function rewriteBlock(block: JsonObject, map: UriMapper): JsonObject {
  const type = block['type'];
  if (type === 'resource_link') return withUri(block, map);
  if (type === 'resource') {
    const resource = block['resource'];
    if (isJsonObject(resource)) return { ...block, resource: withUri(resource, map) };
  }
  return block;
}

function withUri(item: JsonObject, map: UriMapper): JsonObject {
  const uri = item['uri'];
  return typeof uri === 'string' ? { ...item, uri: map(uri) } : item;
}
