import { SATISFACTION_LEVELS, type SatisfactionScore } from '../../domain/satisfaction'
import { copy } from '../../copy'
import type { OwnerDeps, OwnerSession } from '../ports'
import { defineDialog } from '../runtime/dialog'
import type { OutgoingMessage } from '../runtime/messages'
import { accept, choiceIndex, normalizeInput, reject, type Parser } from '../runtime/parse'
import { optionalText } from '../runtime/validators'

export interface SurveyTarget {
  caseNo: string
  round: number
  label: string
}

/** The survey dialog's port: the household's callbacks waiting for an answer, and recording one. */
export interface SurveyServices {
  pendingSurveys(session: OwnerSession): Promise<SurveyTarget[]>
  record(
    session: OwnerSession,
    answer: { caseNo: string; round: number; score: SatisfactionScore; comment: string | null },
  ): Promise<{ recorded: boolean; reopened: boolean; supervisorName: string | null }>
}

export type SurveyDeps = OwnerDeps & { surveys: SurveyServices }

/** Owners answer with the score itself (5 = 非常满意), never a position in a list. */
const scoreParser: Parser<SatisfactionScore> = (input) => {
  const value = normalizeInput(input)
  if (/^[1-5]$/.test(value)) return accept(Number(value) as SatisfactionScore)
  const index = choiceIndex(value, SATISFACTION_LEVELS, (level) => level.label)
  return index >= 0 ? accept(SATISFACTION_LEVELS[index].score) : reject(copy.survey.scoreHint)
}

/** 回访: the five-level scale and an optional comment for a closed case; 2 or lower reopens it. */
export const surveyDialog = defineDialog<SurveyDeps>(
  { id: 'survey', version: 1 },
  async (d, { session, surveys }) => {
    const targets = await d.run('targets', () => surveys.pendingSurveys(session))
    if (targets.length === 0) {
      d.say(copy.survey.none)
      return
    }
    const target =
      targets.length === 1 ? targets[0] : await d.choose(copy.survey.pickCase, targets, (t) => t.label)
    const question: OutgoingMessage = {
      kind: 'menu',
      text: copy.survey.askScore(target.label),
      options: SATISFACTION_LEVELS.map((level) => ({ id: String(level.score), label: level.label })),
      footer: copy.survey.scoreHint,
    }
    const score = await d.ask(question, scoreParser)
    const comment = await d.ask(
      copy.survey.askComment,
      optionalText(copy.survey.skipWords, 500, copy.survey.commentTooLong),
    )
    const result = await d.run('record', () =>
      surveys.record(session, { caseNo: target.caseNo, round: target.round, score, comment }),
    )
    if (!result.recorded) {
      d.say(copy.survey.alreadyAnswered)
      return
    }
    d.say(
      result.reopened
        ? `${copy.survey.thanks}${copy.survey.reopened(result.supervisorName)}`
        : copy.survey.thanks,
    )
  },
)
