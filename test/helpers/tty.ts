/**
 * Make process.stdout look like a terminal of a given width for an in-process run (tables are laid out
 * for a terminal only; a pipe gets every column). Restored afterwards, also when the run throws.
 */
export async function asTerminal<T>(columns: number, run: () => Promise<T>): Promise<T> {
  const out = process.stdout as {isTTY?: boolean; columns?: number}
  const saved = {isTTY: Object.getOwnPropertyDescriptor(out, 'isTTY'), columns: Object.getOwnPropertyDescriptor(out, 'columns')}
  Object.defineProperty(out, 'isTTY', {value: true, configurable: true, writable: true})
  Object.defineProperty(out, 'columns', {value: columns, configurable: true, writable: true})
  try {
    return await run()
  } finally {
    for (const [name, d] of Object.entries(saved)) {
      if (d) Object.defineProperty(out, name, d)
      else delete (out as Record<string, unknown>)[name]
    }
  }
}
