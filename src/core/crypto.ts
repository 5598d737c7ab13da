/**
 * node:crypto, loaded on first use (process.getBuiltinModule): most runs hash nothing and draw no random
 * bytes, and loading it costs a short run several milliseconds.
 */
import type {Hash} from 'node:crypto'

const crypto = () => process.getBuiltinModule('node:crypto')

export const randomBytes = (size: number): Buffer => crypto().randomBytes(size)
export const createHash = (algorithm: string): Hash => crypto().createHash(algorithm)
