import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { analyseOffline } from '../../src/ai/offline/nlu';

/**
 * A real HTTP server on 127.0.0.1 that speaks OpenAI's wire format, so the official SDK is tested
 * end to end (headers, SSE parsing, multipart uploads, status codes) without leaving loopback.
 *
 * By default it behaves like a small, obedient local model: analysis requests (response_format
 * json_*) are answered with the offline NLU's verdict, titles and sentiments are derived from it,
 * and chat replies greet on behalf of the company named in the system prompt and end with the
 * action tag the prompt asks for. Tests can queue scripted steps per endpoint (answers, errors,
 * delays, stalls, dropped connections) and read back every request.
 */

export type Endpoint = 'chat' | 'speech' | 'transcription';

export interface ErrorStep {
  type: 'error';
  status: number;
  message?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface AnswerStep {
  type: 'answer';
  /** Message content (chat), transcript (transcription). */
  content: string;
  /** How a streamed answer is cut into deltas; default: pieces of 6 characters. */
  chunks?: string[];
  /** Delay before the response headers. */
  delayMs?: number;
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  /** Stop sending (connection left open) after this many content chunks. */
  stallAfterChunks?: number;
  /** Destroy the connection after this many content chunks. */
  dropAfterChunks?: number;
  /** Usage to report; null to omit it even when asked. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

export interface AudioStep {
  type: 'audio';
  bytes: Buffer;
  contentType?: string;
  delayMs?: number;
}

/** Never answers: the client has to give up. */
export interface HangStep {
  type: 'hang';
}

/** Closes the socket without a response: a connection error for the client. */
export interface DropStep {
  type: 'drop';
}

export type Step = ErrorStep | AnswerStep | AudioStep | HangStep | DropStep;

const ChatMessage = z.object({ role: z.string(), content: z.union([z.string(), z.null()]) });

/** What the SDK sends to /chat/completions (the fields our provider uses). */
export const ChatRequest = z.looseObject({
  model: z.string(),
  messages: z.array(ChatMessage),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  response_format: z
    .looseObject({
      type: z.string(),
      json_schema: z.looseObject({ name: z.string() }).optional(),
    })
    .optional(),
  max_tokens: z.number().optional(),
  temperature: z.number().optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

export const SpeechRequest = z.looseObject({
  model: z.string(),
  voice: z.string(),
  input: z.string(),
  response_format: z.string().optional(),
});
export type SpeechRequest = z.infer<typeof SpeechRequest>;

export interface RecordedRequest {
  endpoint: Endpoint | 'other';
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, when the body was JSON. */
  json?: unknown;
  /** Multipart fields and the uploaded file, for transcriptions. */
  form?: { fields: Record<string, string>; file?: { name: string; type: string; size: number } };
}

/** Silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz): a valid MP3 any decoder accepts. */
export function silentMp3(frames = 8): Buffer {
  const frameLength = Math.floor((144 * 128_000) / 44_100); // 417 bytes
  const frame = Buffer.alloc(frameLength);
  frame.set([0xff, 0xfb, 0x90, 0x64], 0);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

const TITLE_WORDS: Record<string, string> = {
  question: 'Product Question',
  support: 'Support Request',
  purchase: 'Purchase Inquiry',
  cancellation: 'Refund And Cancellation',
  general: 'General Inquiry',
};

function lastUserText(req: ChatRequest): string {
  const users = req.messages.filter((m) => m.role === 'user');
  return users[users.length - 1]?.content ?? '';
}

function systemText(req: ChatRequest): string {
  return req.messages.find((m) => m.role === 'system')?.content ?? '';
}

/** The default "model": sensible answers computed from the request, like a small local model. */
export function defaultChatContent(req: ChatRequest): string {
  const system = systemText(req);
  const user = lastUserText(req);
  if (req.response_format && req.response_format.type !== 'text') {
    const a = analyseOffline({ text: user });
    return JSON.stringify({
      intent: a.intent,
      fineIntent: a.fineIntent,
      sentiment: a.polarity,
      urgent: a.urgent,
      wantsHuman: a.wantsHuman,
      companies: a.companies,
      language: a.language,
      confidence: a.confidence,
    });
  }
  const company =
    /company is ([^.\n]+)\./.exec(system)?.[1] ?? /assistant for ([^.\n]+)\./.exec(system)?.[1];
  if (/conversation title/i.test(system)) {
    const a = analyseOffline({ text: user });
    const issue = TITLE_WORDS[a.intent] ?? 'Customer Inquiry';
    // Small models like to quote titles and end them with a full stop.
    return `"${[company, issue].filter(Boolean).join(' ')}".`;
  }
  if (/overall sentiment/i.test(system)) {
    const label = analyseOffline({ text: user }).sentiment;
    return `${label.charAt(0).toUpperCase()}${label.slice(1)}.`;
  }
  const who = company ?? 'our company';
  const knowledge = /## Knowledge relevant to this message\n\[1\] ([^:\n]+): ([^\n]+)/.exec(system);
  const a = analyseOffline({ text: user });
  if (a.wantsHuman) {
    return `Of course. I'll connect you with a member of the ${who} team right away.\n[[action:handoff]]`;
  }
  if (knowledge) {
    return `Thanks for contacting ${who}. Here is what I found about "${knowledge[1]}": ${knowledge[2]}\n[[action:continue]]`;
  }
  const empathy = a.polarity === 'negative' || a.urgent ? "I'm sorry about this. " : '';
  return `${empathy}Thanks for contacting ${who}. I don't know that yet, but I can connect you with a colleague who does.\n[[action:continue]]`;
}

function chunk(text: string, size = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class FakeOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queues: Record<Endpoint, Step[]> = { chat: [], speech: [], transcription: [] };
  private readonly server: http.Server;
  private port = 0;
  private closed = false;

  private constructor() {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          this.sendError(res, { type: 'error', status: 500, message: String(err) });
        else res.destroy();
      });
    });
  }

  static async start(): Promise<FakeOpenAiServer> {
    const fake = new FakeOpenAiServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** What goes in OPENAI_BASE_URL / OpenAiOptions.baseUrl. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Queues steps for the next requests to an endpoint; when the queue is empty, defaults apply. */
  enqueue(endpoint: Endpoint, ...steps: Step[]): this {
    this.queues[endpoint].push(...steps);
    return this;
  }

  /** Shorthand: the next `times` requests to the endpoint fail with `status`. */
  failNext(endpoint: Endpoint, status: number, times = 1, headers?: Record<string, string>): this {
    for (let i = 0; i < times; i++) this.enqueue(endpoint, { type: 'error', status, headers });
    return this;
  }

  chatRequests(): ChatRequest[] {
    return this.requests.filter((r) => r.endpoint === 'chat').map((r) => ChatRequest.parse(r.json));
  }

  speechRequests(): SpeechRequest[] {
    return this.requests
      .filter((r) => r.endpoint === 'speech')
      .map((r) => SpeechRequest.parse(r.json));
  }

  /** Forgets recorded requests and queued steps. */
  reset(): void {
    this.requests.length = 0;
    for (const q of Object.values(this.queues)) q.length = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    const endpoint: Endpoint | 'other' =
      path === '/v1/chat/completions'
        ? 'chat'
        : path === '/v1/audio/speech'
          ? 'speech'
          : path === '/v1/audio/transcriptions'
            ? 'transcription'
            : 'other';
    const record: RecordedRequest = {
      endpoint,
      method: req.method ?? '',
      path,
      headers: req.headers,
    };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json')) record.json = JSON.parse(body.toString('utf8'));
    if (type.startsWith('multipart/form-data')) record.form = await parseMultipart(type, body);
    this.requests.push(record);

    if (endpoint === 'other') {
      return this.sendError(res, { type: 'error', status: 404, message: `no route ${path}` });
    }
    const step = this.queues[endpoint].shift();
    if (step?.type === 'hang') return; // the socket stays open until the client gives up
    if (step?.type === 'drop') {
      req.socket.destroy();
      return;
    }
    if (step?.type === 'error') {
      if (step.delayMs) await sleep(step.delayMs);
      return this.sendError(res, step);
    }
    if (endpoint === 'chat') return this.chat(req, res, ChatRequest.parse(record.json), step);
    if (endpoint === 'speech') return this.speech(res, step);
    return this.transcription(res, step);
  }

  private async chat(
    req: IncomingMessage,
    res: ServerResponse,
    body: ChatRequest,
    step: Step | undefined,
  ): Promise<void> {
    const answer: AnswerStep =
      step?.type === 'answer' ? step : { type: 'answer', content: defaultChatContent(body) };
    if (answer.delayMs) await sleep(answer.delayMs);
    const id = `chatcmpl-fake${this.requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const usage =
      answer.usage === null
        ? undefined
        : (answer.usage ?? {
            prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
            completion_tokens: Math.ceil(answer.content.length / 4),
          });
    const withTotal = usage && {
      ...usage,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
    };

    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: answer.content, refusal: null },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage: withTotal,
        }),
      );
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let gone = false;
    req.socket.once('close', () => (gone = true));
    // Each event is flushed before the next step, so a drop or stall happens after the client has it.
    const send = (payload: unknown): Promise<void> =>
      new Promise((resolve) => res.write(`data: ${JSON.stringify(payload)}\n\n`, () => resolve()));
    const base = { id, object: 'chat.completion.chunk', created, model: body.model };
    await send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const pieces = answer.chunks ?? chunk(answer.content);
    for (let i = 0; i < pieces.length; i++) {
      if (answer.stallAfterChunks !== undefined && i >= answer.stallAfterChunks) return;
      if (answer.dropAfterChunks !== undefined && i >= answer.dropAfterChunks) {
        req.socket.destroy();
        return;
      }
      if (answer.chunkDelayMs && i > 0) await sleep(answer.chunkDelayMs);
      if (gone) return;
      await send({
        ...base,
        choices: [{ index: 0, delta: { content: pieces[i] }, finish_reason: null }],
      });
    }
    await send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (body.stream_options?.include_usage && withTotal)
      await send({ ...base, choices: [], usage: withTotal });
    res.end('data: [DONE]\n\n');
  }

  private async speech(res: ServerResponse, step: Step | undefined): Promise<void> {
    const audio: AudioStep = step?.type === 'audio' ? step : { type: 'audio', bytes: silentMp3() };
    if (audio.delayMs) await sleep(audio.delayMs);
    res.writeHead(200, { 'content-type': audio.contentType ?? 'audio/mpeg' });
    res.end(audio.bytes);
  }

  private async transcription(res: ServerResponse, step: Step | undefined): Promise<void> {
    const answer: AnswerStep =
      step?.type === 'answer'
        ? step
        : { type: 'answer', content: 'Hello, I need help with my order.' };
    if (answer.delayMs) await sleep(answer.delayMs);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ text: answer.content }));
  }

  private sendError(res: ServerResponse, step: ErrorStep): void {
    const type =
      step.status === 429
        ? 'rate_limit_exceeded'
        : step.status === 401
          ? 'invalid_api_key'
          : step.status >= 500
            ? 'server_error'
            : 'invalid_request_error';
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(
      JSON.stringify({
        error: { message: step.message ?? `fake ${step.status}`, type, param: null, code: type },
      }),
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Multipart parsing by the platform's own Request (undici), as a real server would. */
async function parseMultipart(contentType: string, body: Buffer): Promise<RecordedRequest['form']> {
  const form = await new Request('http://fake.local/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  }).formData();
  const fields: Record<string, string> = {};
  let file: { name: string; type: string; size: number } | undefined;
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else file = { name: value.name, type: value.type, size: value.size };
  }
  return { fields, file };
}
