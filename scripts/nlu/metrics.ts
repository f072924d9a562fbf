/** Classification metrics for the eval report: accuracy, macro-F1, per-label scores, confusion. */

export interface LabelScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  perLabel: LabelScore[];
  labels: string[];
  /** confusion[i][j]: gold labels[i] predicted as labels[j]. */
  confusion: number[][];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Macro-F1 is averaged over the gold labels (as sklearn does when given labels=gold): a label the
 * classifier invents (e.g. "other") lowers precision of nothing but still counts as an error.
 */
export function report(gold: readonly string[], pred: readonly string[]): Report {
  if (gold.length !== pred.length) throw new Error('gold and pred differ in length');
  const goldLabels = [...new Set(gold)].sort();
  const labels = [
    ...goldLabels,
    ...[...new Set(pred)].filter((l) => !goldLabels.includes(l)).sort(),
  ];
  const idx = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  gold.forEach((g, k) => {
    confusion[idx.get(g) ?? 0][idx.get(pred[k]) ?? 0] += 1;
    if (g === pred[k]) correct += 1;
  });
  const perLabel = goldLabels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return {
      label,
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      support,
    };
  });
  return {
    n: gold.length,
    accuracy: ratio(correct, gold.length),
    macroF1: ratio(
      perLabel.reduce((a, s) => a + s.f1, 0),
      perLabel.length,
    ),
    perLabel,
    labels,
    confusion,
  };
}

export interface BinaryReport {
  n: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export function binary(gold: readonly boolean[], pred: readonly boolean[]): BinaryReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    if (g && pred[i]) tp += 1;
    else if (!g && pred[i]) fp += 1;
    else if (g && !pred[i]) fn += 1;
  });
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    n: gold.length,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    tp,
    fp,
    fn,
  };
}

/** Confusion matrix as aligned text, gold in rows. */
export function formatConfusion(r: Report): string {
  const width = Math.max(6, ...r.labels.map((l) => l.length)) + 1;
  const cell = (s: string): string => s.padStart(width);
  const head = `${'gold \\ pred'.padEnd(width)}${r.labels.map((l) => cell(l)).join('')}`;
  const rows = r.confusion
    .filter((_, i) => r.labels[i] !== undefined && r.perLabel.some((s) => s.label === r.labels[i]))
    .map((row, i) => `${r.labels[i].padEnd(width)}${row.map((v) => cell(String(v))).join('')}`);
  return [head, ...rows].join('\n');
}
