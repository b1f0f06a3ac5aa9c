import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface ConfigWatcher {
  close(): void;
}

/**
 * Calls `onChange` after the file's content changes, once edits settle for `debounceMs`. Watches
 * the directory, not the file, so editors that save by writing a new file and renaming it over
 * the old one (vim, VS Code, atomic writers) keep being seen. Saves that leave the content as it
 * was are ignored.
 */
export async function watchConfigFile(
  file: string,
  onChange: () => void,
  debounceMs = 150,
): Promise<ConfigWatcher> {
  let last = await digest(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const name = basename(file);
  const check = async (): Promise<void> => {
    const now = await digest(file);
    if (closed || now === last || now === undefined) return;
    last = now;
    onChange();
  };
  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  });
  watcher.on('error', () => {
    // The directory went away: nothing more to watch; the running fleet stays as it is.
  });
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}

async function digest(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return undefined;
  }
}
