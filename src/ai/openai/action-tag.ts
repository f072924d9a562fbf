import type { ReplyAction } from '../engine';

/**
 * The model ends each reply with a machine tag such as `[[action:handoff]]` (see prompt.ts). The
 * tag must never reach the customer, yet the text is streamed: a tag can arrive split across
 * deltas ("[[act" + "ion:hand" + "off]]"). This filter holds back anything that could still
 * become a tag and releases it as soon as it cannot.
 *
 * It also drops leading whitespace and holds back trailing whitespace (the newline before the
 * tag), so that the concatenated deltas are exactly the final reply text.
 */
const TAG_OPENING = '[[action:';
const COMPLETE_TAG = /^\[\[action:\s*([a-z]+)\s*\]\]$/i;
/** After the opening: an action word being written, then up to two closing brackets. */
const TAG_REST_PREFIX = /^\s*[a-z]{0,12}\s*(\]\]?)?$/i;
const ACTIONS: readonly ReplyAction[] = ['continue', 'handoff', 'resolve'];

function couldBecomeTag(s: string): boolean {
  if (s.length <= TAG_OPENING.length) {
    return TAG_OPENING.startsWith(s.toLowerCase());
  }
  return (
    s.slice(0, TAG_OPENING.length).toLowerCase() === TAG_OPENING &&
    TAG_REST_PREFIX.test(s.slice(TAG_OPENING.length))
  );
}

export class ActionTagFilter {
  private held = '';
  private whitespace = '';
  private emittedAny = false;
  private found: ReplyAction | null = null;

  /** Feeds one delta from the model; returns the text that is safe to show now (maybe ''). */
  push(delta: string): string {
    let out = '';
    for (const ch of delta) out += this.feed(ch);
    return out;
  }

  /** Ends the stream; returns the last text to show (a held fragment that was not a tag). */
  end(): string {
    const rest = this.held;
    this.held = '';
    // A fragment cut off mid-tag ("[[action:hand") is still a tag, not something to say.
    if (rest === '' || rest.toLowerCase().startsWith('[[action')) return '';
    return this.emit(rest);
  }

  /** The action named by the last complete, known tag, or null when the model gave none. */
  get action(): ReplyAction | null {
    return this.found;
  }

  private feed(ch: string): string {
    if (this.held !== '') {
      const candidate = this.held + ch;
      const complete = COMPLETE_TAG.exec(candidate);
      if (complete) {
        const word = complete[1].toLowerCase() as ReplyAction;
        if (ACTIONS.includes(word)) this.found = word;
        this.held = '';
        return '';
      }
      if (couldBecomeTag(candidate)) {
        this.held = candidate;
        return '';
      }
      // Not a tag after all: release what was held, then look at this character afresh.
      const released = this.held;
      this.held = '';
      return this.emit(released) + this.feed(ch);
    }
    if (ch === '[') {
      this.held = ch;
      return '';
    }
    if (/\s/.test(ch)) {
      if (this.emittedAny) this.whitespace += ch;
      return '';
    }
    return this.emit(ch);
  }

  private emit(text: string): string {
    const out = this.whitespace + text;
    this.whitespace = '';
    this.emittedAny = true;
    return out;
  }
}
