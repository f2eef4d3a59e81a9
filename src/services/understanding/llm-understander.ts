import { z } from 'zod'
import { COMPLAINT_CATEGORIES } from '../../domain/case'
import { REPAIR_CATEGORIES } from '../../domain/warranty'
import type { Intent, Understander, Understanding } from '../../dialogs/ports'
import { redactPersonalData } from '../../understanding/redact'
import { asksForPerson, understandOffline } from '../../understanding/understand'

export interface LlmSettings {
  /** An OpenAI-compatible API root, e.g. https://api.deepseek.com/v1 or a local vLLM's http://host:8000/v1. */
  baseUrl: string
  apiKey: string | null
  model: string
  /** The whole call's budget; past it the offline reader answers. */
  timeoutMs: number
}

const INTENTS: Intent[] = [
  'complaint',
  'repair',
  'letters',
  'case_status',
  'ambassador',
  'survey',
  'human',
  'question',
  'greeting',
  'unknown',
]

const PROMPT = `你是房地产开发商业主服务机器人的意图识别器。读业主发来的一条消息，只输出一个 JSON 对象，不要输出其他文字：
{"intent": 意图, "category": 类别或 null}
intent 取值：complaint（投诉、不满）、repair（报修、东西坏了要修）、letters（工程进度、告知函）、case_status（查询已提交工单的进展、改约、取消）、ambassador（找客户大使/管家）、survey（评价、打分、回访）、human（要求人工服务）、question（咨询问题，如交房、物业费、装修、车位、办证）、greeting（问候、感谢、告别）、unknown（无关或看不懂）。
intent 为 repair 时 category 取 ${REPAIR_CATEGORIES.join('、')} 之一；为 complaint 时取 ${COMPLAINT_CATEGORIES.join('、')} 之一；否则为 null。`

const answer = z.object({
  intent: z.enum(INTENTS as [Intent, ...Intent[]]),
  category: z.string().nullable().optional(),
})

const completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
})

/**
 * Reads owners' messages with an OpenAI-compatible chat-completions endpoint (DeepSeek, Qwen in
 * compatible mode, a local vLLM), for operators who want it. The offline reader stays the floor: on a
 * timeout, an error or an answer that is not the JSON asked for, its reading is used, and 人工 is
 * always recognised offline first. Only the redacted message text is sent.
 */
export class LlmUnderstander implements Understander {
  constructor(
    private readonly settings: LlmSettings,
    private readonly onFallback: (reason: string) => void = () => {},
  ) {}

  asksForPerson(text: string): boolean {
    return asksForPerson(text)
  }

  async understand(text: string): Promise<Understanding> {
    const offline = understandOffline(text)
    if (offline.intent === 'human') return offline
    try {
      const read = await this.ask(text)
      const categories: readonly string[] =
        read.intent === 'repair' ? REPAIR_CATEGORIES : read.intent === 'complaint' ? COMPLAINT_CATEGORIES : []
      const category =
        read.category && categories.includes(read.category) && read.category !== '其他' ? read.category : null
      const request = read.intent === 'repair' || read.intent === 'complaint'
      return {
        intent: read.intent,
        confidence: 1,
        category,
        // The owner's own sentence, as the offline reader keeps it (the model only classifies).
        description: request && category ? (offline.description ?? text.trim()) : null,
      }
    } catch (error) {
      this.onFallback(error instanceof Error ? error.message : String(error))
      return offline
    }
  }

  private async ask(text: string): Promise<z.infer<typeof answer>> {
    const response = await fetch(`${this.settings.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.settings.model,
        temperature: 0,
        max_tokens: 60,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: PROMPT },
          { role: 'user', content: redactPersonalData(text).slice(0, 500) },
        ],
      }),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    })
    if (!response.ok) throw new Error(`LLM answered HTTP ${response.status}`)
    const body = completion.parse(await response.json())
    const content = body.choices[0].message.content.replace(/^```(?:json)?|```$/g, '').trim()
    return answer.parse(JSON.parse(content))
  }
}
