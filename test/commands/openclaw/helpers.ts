/** Shared set-up for the `openclaw` command tests: a temporary HOME and the environment around it. */
import path from 'node:path'

import type {Env} from '../../helpers/run-command.js'
import {envFor as keywardEnv} from '../../helpers/test-server.js'
import type {TestServer} from '../../server/index.js'

/**
 * keyward and OpenClaw both pointed into the temporary home `h`; nothing from the real environment.
 * PATH holds no `openclaw` (connect reads the installed OpenClaw's version from PATH), unless a test sets one.
 */
export const envFor = (s: TestServer, h: string, extra: Env = {}): Env =>
  keywardEnv(s, path.join(h, 'kw'), {
    HOME: h,
    PATH: path.join(h, 'no-openclaw-on-path'),
    OPENCLAW_CONFIG_PATH: undefined,
    OPENCLAW_STATE_DIR: undefined,
    OPENCLAW_HOME: undefined,
    OPENCLAW_PROFILE: undefined,
    LITELLM_API_KEY: undefined,
    KEYWARD_NOW: undefined,
    ...extra,
  })
