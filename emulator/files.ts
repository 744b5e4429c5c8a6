import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { renderCreate, type CreateRecipe } from "./images";
import type { Limiter } from "./limit";

// Result files, the stand-in for the resellers' CDNs. Create outputs are drawn on first read (they
// are deterministic); edit and remix outputs are stored when their job renders them. Everything
// rendered goes to a temporary directory, with only a small LRU of recent files kept in memory.

interface FileRecord {
  recipe?: CreateRecipe;
  stored: boolean;
  /** When the job ends; a file's time to live counts from here. */
  endsAt: number;
}

const CACHE_BYTES = 64 * 1024 * 1024;

export class FileStore {
  private readonly records = new Map<string, FileRecord>();
  private readonly cache = new Map<string, Buffer>();
  private cacheBytes = 0;
  private readonly rendering = new Map<string, Promise<Buffer>>();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly limit: Limiter,
  ) {}

  static async open(limit: Limiter): Promise<FileStore> {
    return new FileStore(await mkdtemp(join(tmpdir(), "reve-emulator-")), limit);
  }

  addRecipe(id: string, recipe: CreateRecipe, endsAt: number): void {
    this.records.set(id, { recipe, stored: false, endsAt });
  }

  /** An edit or remix output that exists once its job has rendered it. */
  addPending(id: string, endsAt: number): void {
    this.records.set(id, { stored: false, endsAt });
  }

  async store(id: string, png: Buffer): Promise<void> {
    const record = this.records.get(id);
    if (!record || this.closed) return;
    await writeFile(this.pathOf(id), png);
    record.stored = true;
    this.remember(id, png);
  }

  remove(id: string): void {
    const record = this.records.get(id);
    this.records.delete(id);
    this.forget(id);
    if (record?.stored) unlink(this.pathOf(id)).catch(() => undefined);
  }

  /** The PNG, or null when unknown, not rendered yet, or expired. */
  async read(id: string, ttlMs: number, now = Date.now()): Promise<Buffer | null> {
    const record = this.records.get(id);
    if (!record || (ttlMs > 0 && now > record.endsAt + ttlMs)) return null;
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    if (record.stored) {
      const png = await readFile(this.pathOf(id)).catch(() => null);
      if (png) this.remember(id, png);
      return png;
    }
    const recipe = record.recipe;
    if (!recipe) return null;
    let pending = this.rendering.get(id);
    if (!pending) {
      pending = this.limit(() => renderCreate(recipe)).finally(() => this.rendering.delete(id));
      this.rendering.set(id, pending);
      pending.then((png) => this.store(id, png)).catch(() => undefined);
    }
    return pending;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cache.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.png`);
  }

  private remember(id: string, png: Buffer): void {
    this.forget(id);
    this.cache.set(id, png);
    this.cacheBytes += png.length;
    for (const [oldId, old] of this.cache) {
      if (this.cacheBytes <= CACHE_BYTES) break;
      this.cache.delete(oldId);
      this.cacheBytes -= old.length;
    }
  }

  private forget(id: string): void {
    const old = this.cache.get(id);
    if (!old) return;
    this.cache.delete(id);
    this.cacheBytes -= old.length;
  }
}
