/** Readers for the held-out test splits in ../shared/data (never used for training). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DATA_DIR = process.env.NLU_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
export const FIXTURE = path.resolve(__dirname, '../../tests/fixtures/urgency-handoff.jsonl');

/** RFC 4180 CSV (quoted fields may hold commas, quotes and newlines, as Banking77's do). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export interface Example {
  text: string;
  label: string;
}

function csvSplit(dir: string, file: string, textCol: string, labelCol: string): Example[] {
  const rows = parseCsv(readFileSync(path.join(DATA_DIR, dir, file), 'utf8'));
  return rows.map((r) => ({ text: r[textCol], label: r[labelCol] }));
}

export const bitextTest = (): Example[] =>
  csvSplit('bitext-customer-support', 'test.csv', 'utterance', 'intent');
export const banking77Test = (): Example[] => csvSplit('banking77', 'test.csv', 'text', 'category');
export const airlineTest = (): Example[] =>
  csvSplit('airline-sentiment', 'test.csv', 'text', 'airline_sentiment');

/** CLINC150 test texts that are not support requests: small talk and out-of-scope queries. */
export function clincChitChatTest(): string[] {
  const data = JSON.parse(
    readFileSync(path.join(DATA_DIR, 'clinc150', 'data_full.json'), 'utf8'),
  ) as Record<string, [string, string][]>;
  const domains = JSON.parse(
    readFileSync(path.join(DATA_DIR, 'clinc150', 'domains.json'), 'utf8'),
  ) as Record<string, string[]>;
  const smallTalk = new Set(domains.small_talk);
  return [...data.test.filter(([, l]) => smallTalk.has(l)), ...data.oos_test].map(([t]) => t);
}

export interface HandoffExample {
  text: string;
  urgent: boolean;
  wantsHuman: boolean;
}

export function urgencyFixture(): HandoffExample[] {
  return readJsonl(FIXTURE);
}

export function readJsonl(file: string): HandoffExample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HandoffExample);
}
