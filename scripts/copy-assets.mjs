// After `tsc`: the files the server reads at run time go next to the compiled modules that read them
// (src/admin/console/console.client.js → dist/src/admin/console/console.client.js; the reader's jieba
// dictionary likewise).
import { cpSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.join(import.meta.dirname, '..')
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) copyAssets(file)
    else if (name.endsWith('.client.js') || name === 'jieba-dict.txt') {
      const target = path.join(root, 'dist', path.relative(root, file))
      cpSync(file, target)
      console.log(`asset ${path.relative(root, target)}`)
    }
  }
}
copyAssets(path.join(root, 'src'))
