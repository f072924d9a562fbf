import { PassThrough, Readable } from 'node:stream';
import { analyseJsonLines, type Analyse } from '../../src/ai/batch';
import type { MessageAnalysis } from '../../src/ai/engine';
import { analyseOffline } from '../../src/ai/offline/nlu';

const fixed: MessageAnalysis = {
  intent: 'support',
  fineIntent: 'track_order',
  sentiment: 'negative',
  polarity: 'negative',
  urgent: false,
  wantsHuman: true,
  companies: ['Amazon', 'Uber'],
  language: 'en',
  confidence: 0.87654321,
};

async function run(
  analyse: Analyse,
  lines: string,
): Promise<{ out: unknown[]; summary: { ok: number; failed: number } }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const summary = await analyseJsonLines(analyse, Readable.from([lines]), output);
  const out = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
  return { out, summary };
}

describe('analyseJsonLines', () => {
  it('when lines are good, then one result per line in order with the first company', async () => {
    const { out, summary } = await run(
      async () => fixed,
      '{"id":"a","text":"x"}\n\n{"id":2,"text":"y"}\n',
    );
    expect(summary).toEqual({ ok: 2, failed: 0 });
    expect(out).toEqual([
      {
        id: 'a',
        intent: 'support',
        sentiment: 'negative',
        wantsHuman: true,
        company: 'Amazon',
        language: 'en',
        confidence: 0.8765,
      },
      {
        id: 2,
        intent: 'support',
        sentiment: 'negative',
        wantsHuman: true,
        company: 'Amazon',
        language: 'en',
        confidence: 0.8765,
      },
    ]);
  });

  it('when a line is bad or the analysis throws, then an error line is written and the batch goes on', async () => {
    const analyse: Analyse = async ({ text }) => {
      if (text === 'boom') throw new Error('provider down');
      return { ...fixed, companies: [] };
    };
    const { out, summary } = await run(
      analyse,
      [
        'not json',
        '{"id":1}',
        '{"id":2,"text":42}',
        '{"id":3,"text":"boom"}',
        '{"id":4,"text":"fine"}',
      ].join('\n'),
    );
    expect(summary).toEqual({ ok: 1, failed: 4 });
    expect(out).toEqual([
      { id: null, error: 'invalid JSON' },
      { id: 1, error: 'missing "text" string' },
      { id: 2, error: 'missing "text" string' },
      { id: 3, error: 'provider down' },
      expect.objectContaining({ id: 4, company: null }),
    ]);
  });

  it('works with the offline NLU', async () => {
    const { out } = await run(
      async (i) => analyseOffline(i),
      '{"id":"m1","text":"I want to cancel my Amazon order"}\n',
    );
    expect(out[0]).toMatchObject({
      id: 'm1',
      intent: 'cancellation',
      company: 'Amazon',
      language: 'en',
    });
  });
});
