const started = Date.now();

/** Progress on stdout, with the time since the run started. */
export function log(line: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${s} s] ${line}`);
}
