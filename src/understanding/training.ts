import { train, type IntentModel } from './classifier'
import { features } from './features'
import { normalizeUtterance } from './normalize'

/** The settings the shipped model was trained with; changing them is a retrain (npm run nlu:train). */
export const TRAINING = { epochs: 40, learningRate: 0.2, l2: 0.0005, seed: 20261201 }

export function trainFromCorpus(corpus: readonly { intent: string; text: string }[]): IntentModel {
  return train(
    corpus.map((example) => ({
      label: example.intent,
      features: features(normalizeUtterance(example.text)),
    })),
    TRAINING,
  )
}
