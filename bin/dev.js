#!/usr/bin/env -S node --import tsx
// Runs keyward from the TypeScript sources (development only).
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
