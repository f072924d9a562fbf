/**
 * npm run analyse -- [file.jsonl]   (or JSON Lines on stdin)
 * Reads {"id","text"} lines, writes {"id","intent","sentiment","wantsHuman","company","language",
 * "confidence"} lines; bad lines become {"id","error"}. Uses the configured provider: the offline
 * engine unless OPENAI_API_KEY / OPENAI_BASE_URL are set (then OpenAI, with offline fallback).
 */
import 'dotenv/config';
import { createReadStream } from 'node:fs';
import { aiOptionsFromEnv, createAiEngine } from '../src/ai';
import { analyseJsonLines } from '../src/ai/batch';

async function main(): Promise<void> {
  const file = process.argv[2];
  const input = file && file !== '-' ? createReadStream(file) : process.stdin;
  const engine = createAiEngine(aiOptionsFromEnv(process.env));
  const summary = await analyseJsonLines((i) => engine.analyse(i), input, process.stdout);
  process.stderr.write(
    `analysed ${summary.ok} messages with ${engine.name}, ${summary.failed} errors\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
