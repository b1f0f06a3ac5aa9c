import {
  describeError,
  type JsonObject,
  type Logger,
  type LoggingLevel,
  loggingLevels,
  type LogMessage,
} from '@corral/core';
import type { CatalogSource } from '../catalog/catalog-source.js';
import { toJsonObject } from '@corral/core';
import type { ClientSession } from '../sessions/client-session.js';

function severity(level: LoggingLevel): number {
  return loggingLevels.indexOf(level);
}

/**
 * `logging/setLevel` and log messages across clients. Each session keeps the level it set and
 * gets the messages at or above it (all of them until it sets one); the servers behind are set
 * to the most verbose level any session asked for, and so is a server that starts later.
 * Messages name their server in `logger` (`fs` or `fs/<its logger>`).
 */
export class LoggingRelay {
  /** What each source was last set to. */
  private readonly applied = new Map<string, LoggingLevel>();

  constructor(
    private readonly sessions: () => readonly ClientSession[],
    private readonly sources: () => Iterable<CatalogSource>,
    private readonly logger: Logger,
  ) {}

  async setLevel(session: ClientSession, level: LoggingLevel): Promise<void> {
    session.loggingLevel = level;
    await this.apply();
  }

  /** A source came up: it starts at its server's default, so set it again. */
  sourceUp(source: CatalogSource): void {
    this.applied.delete(source.key);
    void this.apply();
  }

  sourceGone(key: string): void {
    this.applied.delete(key);
  }

  /** Sets every logging source to the most verbose level a session wants. */
  async apply(): Promise<void> {
    const wanted = this.mostVerbose();
    if (wanted === undefined) return;
    await Promise.all(
      [...this.sources()].map(async (source) => {
        if (!source.logging || this.applied.get(source.key) === wanted) return;
        this.applied.set(source.key, wanted);
        try {
          await source.logging.setLoggingLevel(wanted);
        } catch (error) {
          this.logger.debug(`logging/setLevel on '${source.key}': ${describeError(error)}`, {
            service: source.key,
          });
        }
      }),
    );
  }

  /** A message from a source, to every session that wants its level. */
  message(source: CatalogSource, message: LogMessage): void {
    const name = source.prefix === '' ? source.key : source.prefix;
    const params: JsonObject = {
      ...toJsonObject(message),
      logger: message.logger === undefined ? name : `${name}/${message.logger}`,
    };
    const level = severity(message.level);
    for (const session of this.sessions()) {
      const floor = session.loggingLevel;
      if (floor !== undefined && level < severity(floor)) continue;
      session.log(params).catch((error: unknown) => {
        this.logger.debug(`log message to session ${session.id}: ${describeError(error)}`);
      });
    }
  }

  private mostVerbose(): LoggingLevel | undefined {
    let best: LoggingLevel | undefined;
    for (const session of this.sessions()) {
      const level = session.loggingLevel;
      if (level !== undefined && (best === undefined || severity(level) < severity(best))) {
        best = level;
      }
    }
    return best;
  }
}
