/** `/team/*` (litellm-api.md §16): teams carry their own budget, which also limits every key in them. */
import type {LiteLLMClient} from './client.js'
import {KeywardError} from '../core/errors.js'
import {TeamInfoSchema, TeamListSchema, type TeamInfo, type TeamRow} from '../core/wire-orgs.js'

/** `GET /team/list`: every team, with its keys (one answer, not paged). */
export async function listTeams(client: LiteLLMClient): Promise<TeamRow[]> {
  return client.get('/team/list', undefined, TeamListSchema)
}

/** `GET /team/info?team_id=`: the team and its keys. */
export async function teamInfo(client: LiteLLMClient, teamId: string): Promise<TeamInfo> {
  try {
    return await client.get('/team/info', {team_id: teamId}, TeamInfoSchema)
  } catch (error) {
    // LiteLLM answers an unknown team with 404 (1.108.0) or 400 "Team not found" (older).
    if (error instanceof KeywardError && (error.kind === 'not_found' || /team not found|not found, passed team_id/i.test(error.message))) {
      throw new KeywardError('not_found', `no team with id '${teamId}'`, {suggestions: ['List the teams: keyward teams list']})
    }
    throw error
  }
}
