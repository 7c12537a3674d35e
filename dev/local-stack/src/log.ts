/** Progress sink: one plain line per call. The CLI writes these to stderr so stdout carries only the environment. */
export type Log = (line: string) => void;

export const stderrLog: Log = (line) => {
  process.stderr.write(`${line}\n`);
};
