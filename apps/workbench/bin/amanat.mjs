#!/usr/bin/env node
// The `amanat` command. The workbench is TypeScript run through tsx's loader, so a checkout needs
// no build step (docs/decisions/0003-typescript-without-a-build-step.md).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
