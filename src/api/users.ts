/** `/user/*` (litellm-api.md §16): internal users carry their own budget. */
import type {LiteLLMClient} from './client.js'
import {KeywardError} from '../core/errors.js'
import {UserInfoSchema, UserListSchema, type UserInfo, type UserRow} from '../core/wire-orgs.js'

/** Every user, paging `GET /user/list` (page_size at most 100) to the end. */
export async function* listAllUsers(client: LiteLLMClient): AsyncGenerator<UserRow> {
  for (let page = 1; page < 10_000; page++) {
    const res = await client.get('/user/list', {page, page_size: 100}, UserListSchema)
    yield* res.users
    if (res.users.length === 0 || (res.total_pages !== null && res.total_pages !== undefined && page >= res.total_pages)) return
  }
}

/** `GET /user/info?user_id=`: the user and their keys. */
export async function userInfo(client: LiteLLMClient, userId: string): Promise<UserInfo> {
  let info: UserInfo
  try {
    info = await client.get('/user/info', {user_id: userId}, UserInfoSchema)
  } catch (error) {
    if (error instanceof KeywardError && (error.kind === 'not_found' || /doesn't exist in db|user not found/i.test(error.message))) throw notFound(userId)
    throw error
  }
  if (!info.user_info) throw notFound(userId)
  return info
}

const notFound = (id: string) => new KeywardError('not_found', `no user with id '${id}'`, {suggestions: ['List the users: keyward users list']})
