import { Conversation } from '../conversations/conversation.model';
import type { Logger } from '../logger';
import type { AudioStore } from './audio-store';

/**
 * Deletes stored audio older than AUDIO_RETENTION_DAYS and removes the audioUrl of the messages
 * that pointed at it, so a stored audioUrl always resolves. Runs at start and then hourly.
 */
export async function sweepAudio(
  audio: AudioStore,
  retentionDays: number,
  now = Date.now(),
): Promise<number> {
  const removed = await audio.sweep(retentionDays, now);
  if (removed.length === 0) return 0;
  const conversations = await Conversation.find({ 'messages.audioUrl': { $in: removed } });
  for (const conversation of conversations) {
    for (const message of conversation.messages) {
      if (message.audioUrl && removed.includes(message.audioUrl)) message.audioUrl = undefined;
    }
    await conversation.save();
  }
  return removed.length;
}

export function scheduleAudioRetention(
  audio: AudioStore,
  retentionDays: number,
  logger: Logger,
  everyMs = 60 * 60 * 1000,
): () => Promise<void> {
  if (retentionDays <= 0) return async () => undefined;
  const run = () =>
    sweepAudio(audio, retentionDays)
      .then((n) => n > 0 && logger.info({ removed: n }, 'expired audio removed'))
      .catch((err: unknown) =>
        logger.warn({ err: (err as Error).message }, 'audio retention sweep failed'),
      );
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
