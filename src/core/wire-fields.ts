/** The field types LiteLLM's answers share (wire*.ts): most fields may be null or absent. */
import {z} from 'zod'

export const num = z.number().nullish()
export const str = z.string().nullish()
/** LiteLLM sometimes JSON-encodes object columns as strings (e.g. /key/update). */
export const objectish = z.union([z.record(z.string(), z.unknown()), z.string()]).nullish()
