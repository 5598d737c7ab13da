// Types for the two undici files src/io/undici.ts loads instead of undici's index (the same classes and
// functions the index re-exports, so the index's types apply).
declare module 'undici/lib/dispatcher/agent.js' {
  import {Agent} from 'undici'
  export default Agent
}
declare module 'undici/lib/api/api-request.js' {
  import type {Dispatcher} from 'undici'
  export default function request(this: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>
}
