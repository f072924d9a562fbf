import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Audio files kept on disk under AUDIO_PATH and served at /audio/<file>. Names are always
 * generated here (random hex + a fixed extension), never taken from a client, so a stored file
 * can neither escape the folder nor be served as anything but audio.
 */
export class AudioStore {
  constructor(readonly dir: string) {}

  private static readonly NAME = /^[a-f0-9]{24}\.(mp3|webm|ogg|wav|m4a|mp4)$/;

  async save(
    data: Buffer,
    extension: 'mp3' | 'webm' | 'ogg' | 'wav' | 'm4a' | 'mp4',
  ): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const name = `${randomBytes(12).toString('hex')}.${extension}`;
    await writeFile(path.join(this.dir, name), data, { mode: 0o644 });
    return `/audio/${name}`;
  }

  /** The file behind a stored audioUrl, or null when the URL is not one of ours. */
  fileFor(audioUrl: string): string | null {
    const name = audioUrl.replace(/^\/+(public\/)?audio\//, '');
    return AudioStore.NAME.test(name) ? path.join(this.dir, name) : null;
  }

  async remove(audioUrls: Iterable<string>): Promise<number> {
    let removed = 0;
    for (const url of audioUrls) {
      const file = this.fileFor(url);
      if (!file) continue;
      await rm(file, { force: true });
      removed += 1;
    }
    return removed;
  }

  /** Deletes audio older than the retention period; returns the URLs of the files that went. */
  async sweep(retentionDays: number, now = Date.now()): Promise<string[]> {
    if (retentionDays <= 0) return [];
    const cutoff = now - retentionDays * 86_400_000;
    const removed: string[] = [];
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!AudioStore.NAME.test(name)) continue;
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed.push(`/audio/${name}`);
      }
    }
    return removed;
  }
}
