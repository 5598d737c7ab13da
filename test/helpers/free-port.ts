/** A port on 127.0.0.1 that nothing listens on (bound, then released): safer than a "surely closed" fixed port. */
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}
