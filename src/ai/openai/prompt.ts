import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type {
  AgentProfile,
  ChatMessage,
  MessageAnalysis,
  ReplyInput,
  ResponseStyle,
} from '../engine';

/**
 * Prompts for the OpenAI provider. Pure functions of their input (no clock, no I/O) so that what
 * the model is told can be unit-tested line by line.
 */

/** A piece of the agent's knowledge chosen for this message (FAQ entry, policy, company info). */
export interface KnowledgePassage {
  title: string;
  text: string;
}

/** The tag the model is asked to end with; stripped by ActionTagFilter before anyone sees it. */
export const ACTION_TAG_INSTRUCTION =
  'End every reply with exactly one action tag, on its own at the very end: ' +
  '[[action:continue]] normally; [[action:handoff]] when the customer asks for a human, when ' +
  'the customer is in urgent trouble you cannot fix, or when you cannot help; ' +
  '[[action:resolve]] when the issue is solved and the customer has nothing more to ask. ' +
  'The tag is removed before the customer sees your reply, so never mention it.';

export const HONESTY_INSTRUCTION =
  'Answer only from the company information, policies and knowledge given here. If they do ' +
  'not contain the answer, say plainly that you do not know and offer to connect the customer ' +
  'with a human colleague. Never invent policies, prices, deadlines, order details or promises.';

const STYLE: Record<ResponseStyle, string> = {
  formal: 'formal and courteous: complete sentences, no slang, no emoji',
  casual: 'casual and relaxed, like a helpful friend: short sentences, plain words',
  friendly: 'warm and friendly, upbeat without gushing',
  professional: 'professional, clear and concise',
};

/** Bounds that keep a large knowledge base from crowding out the conversation. */
const MAX_POLICY_CHARS = 6_000;
const MAX_PASSAGE_CHARS = 1_200;
const MAX_HISTORY_TURNS = 20;

function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : ['', `## ${title}`, ...lines];
}

function policyLines(agent: AgentProfile): string[] {
  const lines: string[] = [];
  let used = 0;
  for (const p of agent.knowledge.policies) {
    const line = `- ${p.title.trim()}: ${clip(p.text, MAX_PASSAGE_CHARS)}`;
    if (used + line.length > MAX_POLICY_CHARS) break;
    lines.push(line);
    used += line.length;
  }
  return lines;
}

function analysisLine(analysis: MessageAnalysis): string {
  const flags = [
    `intent ${analysis.fineIntent ?? analysis.intent}`,
    `sentiment ${analysis.sentiment}`,
    analysis.wantsHuman ? 'asks for a human' : '',
    analysis.urgent ? 'urgent' : '',
  ].filter(Boolean);
  return `Our analysis of the new message: ${flags.join(', ')}.`;
}

/** The system prompt for a reply: persona, company, policies, owner rules, knowledge, rules. */
export function buildReplySystemPrompt(
  agent: AgentProfile,
  passages: KnowledgePassage[],
  analysis?: MessageAnalysis,
): string {
  const persona = [
    `You are ${agent.name}, the customer service assistant for ${agent.companyName}.`,
    agent.personality.trim() ? `Personality: ${agent.personality.trim()}` : '',
    `Tone: ${STYLE[agent.responseStyle] ?? STYLE.professional}.`,
  ].filter(Boolean);

  const lines = [
    ...persona,
    ...section(
      `About ${agent.companyName}`,
      agent.companyInfo.trim() ? [agent.companyInfo.trim()] : [],
    ),
    ...section('Policies (authoritative: quote them, never add to them)', policyLines(agent)),
    ...section(
      'Instructions from the business owner',
      agent.prompts
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => `- ${p}`),
    ),
    ...section(
      'Knowledge relevant to this message',
      passages.map((p, i) => `[${i + 1}] ${p.title.trim()}: ${clip(p.text, MAX_PASSAGE_CHARS)}`),
    ),
    '',
    '## Rules',
    `- ${HONESTY_INSTRUCTION}`,
    '- Keep replies short: two to four sentences, no markdown headings. Reply in the language the customer writes in.',
    '- When the customer is upset or the matter is urgent, acknowledge how they feel first, then help.',
    '- For order problems, ask for the order number if you do not have it.',
    `- ${ACTION_TAG_INSTRUCTION}`,
  ];
  if (analysis) lines.push('', analysisLine(analysis));
  return lines.join('\n');
}

/** Full message list for the chat call: system prompt, recent history, the new message. */
export function buildReplyMessages(
  input: ReplyInput,
  passages: KnowledgePassage[],
): ChatCompletionMessageParam[] {
  const history = input.history.slice(-MAX_HISTORY_TURNS);
  return [
    { role: 'system', content: buildReplySystemPrompt(input.agent, passages, input.analysis) },
    ...history.map((m): ChatCompletionMessageParam => ({ role: m.role, content: m.content })),
    { role: 'user', content: input.message },
  ];
}

export const ANALYSIS_INSTRUCTION = [
  'You classify one customer-service message and answer with a single JSON object, nothing else.',
  'Fields:',
  '- intent: one of "question", "support", "purchase", "cancellation", "general" (refunds, returns and cancelling orders or subscriptions are "cancellation"; problems with an account, order or product are "support").',
  '- fineIntent: a snake_case label such as "track_order", "get_refund", "reset_password", or null.',
  '- sentiment: "positive", "negative" or "neutral".',
  '- urgent: true when the customer needs help immediately (security breach, hacked account, safety, money being lost now).',
  '- wantsHuman: true when the customer asks for a human, a person, an agent or a manager.',
  '- companies: company or brand names mentioned in the message, as written.',
  '- language: ISO 639-1 code of the message, or "und".',
  '- confidence: 0 to 1, how sure you are of the intent.',
].join('\n');

export function buildAnalysisMessages(
  text: string,
  agent?: AgentProfile,
): ChatCompletionMessageParam[] {
  const context = agent ? `\nThe message was sent to ${agent.companyName}'s support.` : '';
  return [
    { role: 'system', content: ANALYSIS_INSTRUCTION + context },
    { role: 'user', content: text },
  ];
}

function transcript(messages: ChatMessage[], limit = 30): string {
  return messages
    .slice(-limit)
    .map((m) => `${m.role === 'user' ? 'Customer' : 'Assistant'}: ${clip(m.content, 500)}`)
    .join('\n');
}

export const TITLE_INSTRUCTION =
  'Write a conversation title of three to six words in Title Case that names the company and ' +
  "the customer's issue, for example: Acme Late Delivery Refund. Answer with the title only: " +
  'no quotes, no punctuation at the end.';

export function buildTitleMessages(
  messages: ChatMessage[],
  agent?: AgentProfile,
): ChatCompletionMessageParam[] {
  const company = agent ? `\nThe company is ${agent.companyName}.` : '';
  return [
    { role: 'system', content: TITLE_INSTRUCTION + company },
    { role: 'user', content: transcript(messages) },
  ];
}

export const SENTIMENT_INSTRUCTION =
  "Judge the overall sentiment of the customer's messages in this conversation. Answer with " +
  'exactly one word: positive, negative, neutral, or urgent (urgent when the customer needs ' +
  'immediate help).';

export function buildSentimentMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  const customer = messages.filter((m) => m.role === 'user');
  return [
    { role: 'system', content: SENTIMENT_INSTRUCTION },
    { role: 'user', content: transcript(customer.length > 0 ? customer : messages) },
  ];
}
