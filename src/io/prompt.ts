import {createInterface} from 'node:readline'

import {KeywardError} from '../core/errors.js'

/** Ctrl-C at a prompt: nothing was done (exit 130). */
const interrupted = (): KeywardError => new KeywardError('interrupted', 'interrupted at the prompt: nothing was changed')

/** Ask a question on the terminal (stderr), with an optional default. */
export async function ask(question: string, def?: string): Promise<string> {
  const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true})
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(interrupted()))
      rl.question(def ? `${question} [${def}]: ` : `${question}: `, resolve)
    })
    return answer.trim() || def || ''
  } finally {
    rl.close()
  }
}

/** Ask for a secret without echoing it. */
export async function askHidden(question: string): Promise<string> {
  const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true})
  const out = rl as unknown as {_writeToOutput: (s: string) => void; output: NodeJS.WritableStream}
  let prompted = false
  out._writeToOutput = (s: string) => {
    // Write the prompt once, then nothing of what is typed.
    if (!prompted) {
      process.stderr.write(s)
      prompted = true
    }
  }
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(interrupted()))
      rl.question(`${question}: `, resolve)
    })
    process.stderr.write('\n')
    return answer.trim()
  } finally {
    rl.close()
  }
}

/** Read all of stdin (for secrets piped in: `pass show litellm | keyward login`); first line only. */
export async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0].trim()
}

/** Yes/no confirmation on a TTY; anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const answer = (await ask(`${question} (y/N)`)).toLowerCase()
  return answer === 'y' || answer === 'yes'
}
