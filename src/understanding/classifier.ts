/**
 * A multinomial logistic regression over sparse binary features: small, fast (a sentence is a few dozen
 * dictionary lookups), and trained in a second from the labelled corpus in nlu/. Chosen over naive Bayes
 * because the features overlap heavily (a word and its characters), which a discriminative model weighs
 * correctly and naive Bayes counts twice.
 */
export interface IntentModel {
  labels: string[]
  bias: number[]
  /** Per feature, one weight per label. */
  weights: Record<string, number[]>
}

export interface Scored {
  label: string
  probability: number
}

/** Labels by probability, highest first. */
export function predict(model: IntentModel, features: readonly string[]): Scored[] {
  const scores = [...model.bias]
  for (const feature of features) {
    const row = model.weights[feature]
    if (!row) continue
    for (let i = 0; i < scores.length; i += 1) scores[i] += row[i]
  }
  return softmax(scores)
    .map((probability, i) => ({ label: model.labels[i], probability }))
    .sort((a, b) => b.probability - a.probability)
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores)
  const exps = scores.map((score) => Math.exp(score - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((value) => value / sum)
}

export interface TrainingOptions {
  epochs: number
  learningRate: number
  l2: number
  seed: number
}

/** Deterministic: the same corpus and options give the same model, byte for byte. */
export function train(
  examples: readonly { label: string; features: readonly string[] }[],
  options: TrainingOptions,
): IntentModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort()
  const index = new Map(labels.map((label, i) => [label, i]))
  const weights: Record<string, number[]> = {}
  const bias = labels.map(() => 0)
  const random = mulberry32(options.seed)
  const order = examples.map((_, i) => i)
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    shuffle(order, random)
    const rate = options.learningRate / (1 + epoch * 0.1)
    for (const i of order) {
      const { label, features } = examples[i]
      const rows = features.map((f) => (weights[f] ??= labels.map(() => 0)))
      const scores = [...bias]
      for (const row of rows) for (let k = 0; k < labels.length; k += 1) scores[k] += row[k]
      const probabilities = softmax(scores)
      const target = index.get(label) as number
      for (let k = 0; k < labels.length; k += 1) {
        const gradient = probabilities[k] - (k === target ? 1 : 0)
        bias[k] -= rate * gradient
        for (const row of rows) row[k] -= rate * (gradient + options.l2 * row[k])
      }
    }
  }
  // `|| 0` turns -0 into 0, so the written file reads back exactly.
  const round = (value: number) => Math.round(value * 1e4) / 1e4 || 0
  const kept: Record<string, number[]> = {}
  for (const feature of Object.keys(weights).sort()) {
    const row = weights[feature].map(round)
    if (row.some((w) => w !== 0)) kept[feature] = row
  }
  return { labels, bias: bias.map(round), weights: kept }
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffle(values: number[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1))
    ;[values[i], values[j]] = [values[j], values[i]]
  }
}
