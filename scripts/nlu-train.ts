/**
 * Trains the offline intent reader from nlu/train.tsv and writes src/understanding/model.json.
 * Deterministic (fixed seed and order): the same corpus gives the same file, which a test checks.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { trainFromCorpus } from '../src/understanding/training'
import { readCorpus } from './nlu-corpus'

const model = trainFromCorpus(readCorpus('train'))
const file = join(__dirname, '..', 'src', 'understanding', 'model.json')
writeFileSync(file, `${JSON.stringify(model)}\n`)
console.log(`${Object.keys(model.weights).length} features × ${model.labels.length} intents → ${file}`)
