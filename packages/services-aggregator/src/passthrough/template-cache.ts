import {
  type Clock,
  describeError,
  type Logger,
  type ResourceTemplateDescriptor,
} from '@corral/core';
import type { CatalogSource } from '../catalog/catalog-source.js';

interface Entry {
  templates: readonly ResourceTemplateDescriptor[] | undefined;
  fetching: Promise<readonly ResourceTemplateDescriptor[]> | undefined;
  stale: boolean;
}

/**
 * Resource templates per source. Templates are not cached by the sources themselves, so the
 * aggregator asks for them, keeps the answer until the source's resources change or it
 * restarts, and never waits longer than the deadline for one source: a slow or hung server
 * contributes what it answered last time (or nothing) and everyone else's templates are served.
 */
export class TemplateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly deadlineMs: number,
  ) {}

  /** Forget what `key` answered (its resources changed, it restarted, it left). */
  invalidate(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.stale = true;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Starts fetching in the background (a source just came up). */
  prefetch(source: CatalogSource): void {
    if (source.templates) void this.fetch(source).catch(() => undefined);
  }

  /** The last answer of `key`, stale or not (for matching URIs to sources). */
  cached(key: string): readonly ResourceTemplateDescriptor[] {
    return this.entries.get(key)?.templates ?? [];
  }

  /** Every source's templates, each source waited for at most the deadline. */
  async list(
    sources: Iterable<CatalogSource>,
  ): Promise<{ source: CatalogSource; templates: readonly ResourceTemplateDescriptor[] }[]> {
    return Promise.all(
      [...sources]
        .filter((source) => source.templates !== undefined)
        .map(async (source) => ({ source, templates: await this.withinDeadline(source) })),
    );
  }

  private async withinDeadline(
    source: CatalogSource,
  ): Promise<readonly ResourceTemplateDescriptor[]> {
    const entry = this.entries.get(source.key);
    if (entry?.templates !== undefined && !entry.stale) return entry.templates;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = this.clock.setTimeout(() => {
        resolve('late');
      }, this.deadlineMs);
    });
    try {
      const outcome = await Promise.race([this.fetch(source), late]);
      if (outcome !== 'late') return outcome;
      this.logger.warn(
        `resource templates of '${source.key}' took longer than ${String(this.deadlineMs)} ms: ` +
          'listed without them (or with their last answer)',
        { service: source.key },
      );
    } catch (error) {
      this.logger.warn(
        `could not list resource templates of '${source.key}': ${describeError(error)}`,
        {
          service: source.key,
        },
      );
    } finally {
      this.clock.clearTimeout(timer);
    }
    return this.entries.get(source.key)?.templates ?? [];
  }

  /** One fetch per source at a time; its answer is kept whenever it comes. */
  private fetch(source: CatalogSource): Promise<readonly ResourceTemplateDescriptor[]> {
    const provider = source.templates;
    if (!provider) return Promise.resolve([]);
    let entry = this.entries.get(source.key);
    if (!entry) {
      entry = { templates: undefined, fetching: undefined, stale: true };
      this.entries.set(source.key, entry);
    }
    if (entry.fetching) return entry.fetching;
    const current = entry;
    current.stale = false;
    const fetching = provider.listResourceTemplates().then(
      (templates) => {
        current.templates = templates;
        current.fetching = undefined;
        return templates;
      },
      (error: unknown) => {
        current.fetching = undefined;
        current.stale = true;
        throw error;
      },
    );
    current.fetching = fetching;
    return fetching;
  }
}
