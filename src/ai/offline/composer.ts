/**
 * The offline reply composer: builds a customer-service reply from the message analysis, an
 * intent playbook, the agent's knowledge and persona, without a language model.
 *
 * Order of a reply: empathy (negative or urgent) -> thanks for a detail just given -> what the
 * playbook says -> knowledge quoted -> the detail still needed -> refund / exchange / replacement
 * -> "I don't know" when nothing matched -> a human on offer -> "anything else?".
 *
 * Wording is chosen from several variants per slot. The choice is a pure function of the input
 * (so tests are stable) and skips any variant that appeared in the previous two assistant
 * messages, so the same canned line is never said twice in a row.
 */
import type {
  AgentProfile,
  ChatMessage,
  MessageAnalysis,
  ReplyAction,
  ReplyInput,
  ReplyResult,
  ResponseStyle,
} from '../engine';
import { retrieveKnowledge, type KnowledgePassage } from './knowledge';
import * as P from './phrases';
import { COARSE_PLAYBOOKS, FINE_PLAYBOOKS, type Playbook } from './playbooks';
import { hash } from './text';

export interface ComposeInput extends ReplyInput {
  /**
   * Analysis of the customer's previous message, if known. Lets "It's #12345" after "where is my
   * order?" continue the order-tracking playbook although that message alone has no intent.
   */
  previous?: MessageAnalysis;
}

type Vars = Record<'name' | 'company' | 'order' | 'email' | 'title', string>;

function fill(template: string, vars: Vars): string {
  return template.replace(
    /\{(name|company|order|email|title)\}/g,
    (_, key: keyof Vars) => vars[key],
  );
}

/** Picks variants deterministically, avoiding lines the assistant said in its last two messages. */
class Wording {
  private readonly recent: string[];
  private readonly seed: number;

  constructor(
    private readonly style: ResponseStyle,
    history: ChatMessage[],
    message: string,
    private readonly vars: Vars,
  ) {
    const assistant = history.filter((m) => m.role === 'assistant').map((m) => m.content);
    this.recent = assistant.slice(-2).reverse();
    this.seed = hash(message) + assistant.length;
  }

  styled(slot: string, variants: P.Styled): string {
    return this.pick(slot, variants[this.style]);
  }

  pick(slot: string, variants: readonly string[], extra: Partial<Vars> = {}): string {
    const vars = { ...this.vars, ...extra };
    const rendered = variants.map((v) => fill(v, vars));
    const notIn = (text: string | undefined) => (line: string) => !text || !text.includes(line);
    // Prefer lines said in neither of the last two replies, then lines not in the last one.
    const fresh = rendered.filter(notIn(this.recent[0])).filter(notIn(this.recent[1]));
    const pool = fresh.length > 0 ? fresh : rendered.filter(notIn(this.recent[0]));
    const from = pool.length > 0 ? pool : rendered;
    return from[(this.seed + hash(slot)) % from.length]!;
  }

  /** True when the previous reply already contains one of these lines (e.g. a human was offered). */
  saidLast(variants: P.Styled): boolean {
    const last = this.recent[0];
    return !!last && variants[this.style].some((v) => last.includes(fill(v, this.vars)));
  }
}

const ORDER_AFTER_WORD =
  /\b(?:order|purchase|ref(?:erence)?|confirmation)(?:\s+(?:number|no\.?|id|#))?\s*(?:is|was|:)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,19})\b/gi;
const ORDER_HASH = /#\s?([A-Z0-9-]*\d[A-Z0-9-]*)\b/i;
const ORDER_BARE = /\b([A-Z]{0,4}-?\d{5,12})\b/i;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** An order number in the text ("order 12345", "#A1234", "ORD-55555"), or null. Needs a digit. */
export function findOrderNumber(text: string): string | null {
  for (const match of text.matchAll(ORDER_AFTER_WORD)) {
    if (/\d/.test(match[1]!)) return match[1]!;
  }
  const hashed = ORDER_HASH.exec(text);
  if (hashed) return hashed[1]!;
  const bare = ORDER_BARE.exec(text.replace(EMAIL, ' '));
  return bare ? bare[1]! : null;
}

export function findEmail(text: string): string | null {
  return EMAIL.exec(text)?.[0] ?? null;
}

function findInHistory(
  history: ChatMessage[],
  find: (text: string) => string | null,
): string | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i]!;
    if (message.role !== 'user') continue;
    const found = find(message.content);
    if (found) return found;
  }
  return null;
}

const CLOSING =
  /\b(thanks?|thank you|thx|ty|cheers|bye|goodbye|that'?s all|that is all|nothing else|all good|all set|have a (?:good|nice|great) day)\b/i;
const PROBLEM_WORDS = /\b(but|still|not|n't|no|problem|issue|wrong|never|missing|broken|help)\b/i;

/** "Thanks, bye!" but not "thanks, but my order is still missing". */
export function isClosingMessage(message: string, analysis: MessageAnalysis): boolean {
  if (!CLOSING.test(message) || message.includes('?')) return false;
  if (analysis.polarity === 'negative' || analysis.urgent || analysis.wantsHuman) return false;
  const rest = message.replace(CLOSING, ' ');
  return !PROBLEM_WORDS.test(rest) && message.split(/\s+/).length <= 12;
}

const ORDER_WORDS = /\b(order|package|parcel|delivery|shipment|item|purchase|refund)s?\b/i;
const QUESTION =
  /\?|^\s*(what|how|when|where|why|who|which|can|could|do|does|is|are|will|would)\b/i;
const SMALL_TALK = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|yo|hiya|greetings)\b/i;

/** Personalities asking for brevity drop the pleasantries ("anything else?", "glad to help"). */
function isConcise(agent: AgentProfile): boolean {
  return /\b(concise|brief|direct|efficient|to the point|terse|short)\b/i.test(agent.personality);
}

function endSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…"”]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function choosePlaybook(input: ComposeInput, detailJustGiven: boolean): Playbook {
  const { analysis, previous } = input;
  const fine = analysis.fineIntent ? FINE_PLAYBOOKS[analysis.fineIntent] : undefined;
  if (fine) return fine;
  // A message that only hands over a detail continues the previous request.
  if (detailJustGiven && previous?.fineIntent && FINE_PLAYBOOKS[previous.fineIntent]) {
    return FINE_PLAYBOOKS[previous.fineIntent]!;
  }
  const coarse = COARSE_PLAYBOOKS[analysis.intent];
  if (
    (analysis.intent === 'support' || analysis.intent === 'cancellation') &&
    ORDER_WORDS.test(input.message)
  ) {
    return { ...coarse, needs: 'order' };
  }
  return coarse;
}

/** Composes the offline reply. Pure: same input, same reply. */
export function composeReply(input: ComposeInput): ReplyResult {
  const { agent, history, message, analysis } = input;
  const orderBefore = findInHistory(history, findOrderNumber);
  const emailBefore = findInHistory(history, findEmail);
  const orderNow = findOrderNumber(message);
  const emailNow = findEmail(message);
  const order = orderNow ?? orderBefore;
  const email = emailNow ?? emailBefore;
  const vars: Vars = {
    name: agent.name,
    company: agent.companyName,
    order: order ?? '',
    email: email ?? '',
    title: '',
  };
  const say = new Wording(agent.responseStyle, history, message, vars);
  const parts: string[] = [];
  const sources: string[] = [];
  const done = (action: ReplyAction): ReplyResult => ({
    text: parts.map(endSentence).join(' '),
    action,
    sources,
  });

  const negative = analysis.polarity === 'negative' || analysis.sentiment === 'negative';
  const urgent = analysis.urgent || analysis.sentiment === 'urgent';

  if (analysis.language !== 'en' && analysis.language !== 'und') {
    parts.push(say.styled('non-english', P.NON_ENGLISH));
    return done(analysis.wantsHuman ? 'handoff' : 'continue');
  }

  if (isClosingMessage(message, analysis)) {
    parts.push(say.styled('closing', P.CLOSING));
    return done('resolve');
  }

  if (negative) parts.push(say.styled('empathy', P.EMPATHY));
  else if (urgent) parts.push(say.styled('urgency', P.URGENCY));

  const newOrder = !!orderNow && orderNow !== orderBefore;
  const newEmail = !!emailNow && emailNow !== emailBefore;
  const playbook = choosePlaybook(input, newOrder || newEmail);

  if (analysis.wantsHuman || (urgent && negative)) {
    parts.push(say.styled('handoff', P.HANDOFF));
    if (playbook.needs === 'order' && !order)
      parts.push(say.styled('handoff-detail', P.HANDOFF_DETAIL));
    return done('handoff');
  }

  if (newOrder) parts.push(say.styled('got-order', P.GOT_ORDER));
  if (newEmail) parts.push(say.styled('got-email', P.GOT_EMAIL));

  const detail = playbook.needs === 'order' ? order : playbook.needs === 'email' ? email : null;
  if (playbook.needs && detail && playbook.known) parts.push(say.pick('known', playbook.known));
  else if (playbook.lines.length > 0) parts.push(say.pick('line', playbook.lines));

  const passages =
    SMALL_TALK.test(message) && message.length < 25 ? [] : retrieveKnowledge(agent, message);
  quoteKnowledge(passages, say, history, parts, sources);

  let asked = false;
  if (playbook.needs === 'order' && !order) {
    parts.push(say.styled('ask-order', P.ASK_ORDER));
    asked = true;
  } else if (playbook.needs === 'email' && !email) {
    parts.push(say.styled('ask-email', P.ASK_EMAIL));
    asked = true;
  }
  if (playbook.offers) parts.push(say.styled('offers', P.OFFERS));

  const looksLikeQuestion = QUESTION.test(message) && !SMALL_TALK.test(message);
  const unanswered =
    passages.length === 0 &&
    (playbook.informational === true ||
      (analysis.intent === 'general' && !analysis.fineIntent && looksLikeQuestion));
  if (unanswered) parts.push(say.styled('dont-know', P.DONT_KNOW));

  // Nothing specific to say yet: ask for more, or ask how to help.
  if (parts.length === 0 || (parts.length === (negative || urgent ? 1 : 0) && !unanswered)) {
    if (analysis.intent === 'support' || negative) {
      if (!isConcise(agent)) parts.push(say.styled('generic-help', P.GENERIC_HELP));
      parts.push(say.styled('tell-more', P.TELL_MORE));
      asked = true;
    } else {
      parts.push(say.styled('how-can-i-help', P.HOW_CAN_I_HELP));
      asked = true;
    }
  }

  const wantsOffer = unanswered || negative || urgent || playbook.offerHuman === true;
  // Do not repeat the offer of a human right after making it, unless we could not answer.
  if (wantsOffer && (unanswered || !say.saidLast(P.OFFER_HUMAN)))
    parts.push(say.styled('offer-human', P.OFFER_HUMAN));
  else if (passages.length > 0 && !asked && !negative && !isConcise(agent))
    parts.push(say.styled('anything-else', P.ANYTHING_ELSE));

  return done('continue');
}

/**
 * Quotes the best passage (and a second one from another source when it scores nearly as well).
 * A passage already quoted in the previous reply is referred to instead of repeated.
 */
function quoteKnowledge(
  passages: KnowledgePassage[],
  say: Wording,
  history: ChatMessage[],
  parts: string[],
  sources: string[],
): void {
  if (passages.length === 0) return;
  const best = passages[0]!;
  const chosen = [best];
  const second = passages.find((p) => p.title !== best.title);
  if (second && second.score >= best.score * 0.8) chosen.push(second);
  const lastAssistant = [...history].reverse().find((m) => m.role === 'assistant')?.content ?? '';
  for (const passage of chosen) {
    if (!sources.includes(passage.title)) sources.push(passage.title);
    const title = passage.title;
    if (lastAssistant.includes(passage.text)) {
      parts.push(say.pick(`repeat-${title}`, P.KNOWLEDGE_REPEAT, { title }));
    } else {
      parts.push(
        `${say.pick(`intro-${passage.kind}`, P.KNOWLEDGE_INTRO[passage.kind], { title })} ${endSentence(passage.text)}`,
      );
    }
  }
}

/** The welcome message: the owner's greeting if set, else one line naming the agent and company. */
export function composeGreeting(agent: AgentProfile): string {
  const custom = agent.greeting?.trim();
  if (custom) return custom;
  return fill(P.GREETING[agent.responseStyle][0]!, {
    name: agent.name,
    company: agent.companyName,
    order: '',
    email: '',
    title: '',
  });
}
