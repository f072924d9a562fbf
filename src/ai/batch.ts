/**
 * Batch analysis over JSON Lines: {"id","text"} in, one result line per input line out, in order.
 * A bad line (not JSON, no text, analysis failure) yields {"id","error"} and the batch goes on.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AnalyseInput, MessageAnalysis } from './engine';

export type Analyse = (input: AnalyseInput) => Promise<MessageAnalysis>;

export interface BatchResult {
  id: string | number | null;
  intent: MessageAnalysis['intent'];
  sentiment: MessageAnalysis['sentiment'];
  wantsHuman: boolean;
  /** First company named, or null. */
  company: string | null;
  language: string;
  confidence: number;
}

export interface BatchError {
  id: string | number | null;
  error: string;
}

export interface BatchSummary {
  ok: number;
  failed: number;
}

type Id = string | number | null;

function idOf(value: unknown): Id {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const { id } = value as { id: unknown };
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

async function analyseLine(analyse: Analyse, line: string): Promise<BatchResult | BatchError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: null, error: 'invalid JSON' };
  }
  const id = idOf(parsed);
  const text =
    typeof parsed === 'object' && parsed !== null && 'text' in parsed
      ? (parsed as { text: unknown }).text
      : undefined;
  if (typeof text !== 'string') return { id, error: 'missing "text" string' };
  try {
    const a = await analyse({ text });
    return {
      id,
      intent: a.intent,
      sentiment: a.sentiment,
      wantsHuman: a.wantsHuman,
      company: a.companies[0] ?? null,
      language: a.language,
      confidence: Number(a.confidence.toFixed(4)),
    };
  } catch (err) {
    return { id, error: err instanceof Error ? err.message : String(err) };
  }
}

function write(output: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    output.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

/** Reads JSON Lines from `input`, writes one JSON line per non-blank input line to `output`. */
export async function analyseJsonLines(
  analyse: Analyse,
  input: Readable,
  output: Writable,
): Promise<BatchSummary> {
  const summary: BatchSummary = { ok: 0, failed: 0 };
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const result = await analyseLine(analyse, line);
    if ('error' in result) summary.failed += 1;
    else summary.ok += 1;
    await write(output, `${JSON.stringify(result)}\n`);
  }
  return summary;
}
