// Writes .env.example from src/config-docs.ts (npm run env:example).
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { envExample } from '../src/config-docs'

writeFileSync(path.join(__dirname, '..', '.env.example'), envExample())
