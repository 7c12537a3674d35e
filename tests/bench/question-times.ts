/**
 * Asks each question `warmups` times unmeasured, then `samples` times, and prints its p50 and p95 in ms: the
 * read-model benches' report. A question gets its sample's index, to vary what it asks.
 */
export async function printQuestionTimes(questions: Record<string, (i: number) => Promise<unknown>>, samples: number, warmups: number): Promise<void> {
  for (const [name, ask] of Object.entries(questions)) {
    for (let i = 0; i < warmups; i++) await ask(i);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await ask(i);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`  ${name}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`);
  }
}
