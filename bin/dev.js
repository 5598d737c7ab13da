#!/usr/bin/env -S node --import tsx
// Runs keyward from the TypeScript sources (development only): commands and hooks from src/ instead of
// the bundle's command table.
'use strict'
const {readFileSync} = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
pjson.oclif.commands = './src/commands'
pjson.oclif.hooks = {command_not_found: './src/cli/hooks/command-not-found.ts'}
require('@oclif/core').execute({development: true, loadOptions: {root, pjson, ignoreManifest: true}})
