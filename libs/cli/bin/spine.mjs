#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so the monorepo needs no build step before `npx spine`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
