import type { AiEngine } from './ai/engine';
import type { Config } from './config';
import { ConversationEvents } from './conversations/events';
import type { Database } from './db/connection';
import type { Logger } from './logger';
import { AudioStore } from './voice/audio-store';

/** What the app is built from: created once in index.ts (or by a test) and passed down. */
export interface AppContext {
  config: Readonly<Config>;
  logger: Logger;
  db: Database;
  ai: AiEngine;
  audio: AudioStore;
  events: ConversationEvents;
}

export function createContext(
  parts: Pick<AppContext, 'config' | 'logger' | 'db' | 'ai'>,
): AppContext {
  return {
    ...parts,
    audio: new AudioStore(parts.config.files.audioPath),
    events: new ConversationEvents(),
  };
}
