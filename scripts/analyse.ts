/**
 * npm run analyse -- [file.jsonl]   (or JSON Lines on stdin)
 * Reads {"id","text"} lines, writes {"id","intent","sentiment","wantsHuman","company","language",
 * "confidence"} lines; bad lines become {"id","error"}. Uses the offline NLU for now.
 */
import { createReadStream } from 'node:fs';
import { analyseJsonLines } from '../src/ai/batch';
import { analyseOffline } from '../src/ai/offline/nlu';

async function main(): Promise<void> {
  const file = process.argv[2];
  const input = file && file !== '-' ? createReadStream(file) : process.stdin;
  const summary = await analyseJsonLines(async (i) => analyseOffline(i), input, process.stdout);
  process.stderr.write(`analysed ${summary.ok} messages, ${summary.failed} errors\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
