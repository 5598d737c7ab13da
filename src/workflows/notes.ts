/** How a workflow talks to the person running it: both go to stderr (the command decides how). */
export interface Notes {
  /** A warning, shown even in --json mode. */
  warn(line: string): void
  /** Progress or a hint, hidden in --json mode. */
  note(line: string): void
}
