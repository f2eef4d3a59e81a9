import Router from '@koa/router'
import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import type { CaseClock } from '../../services/cases/case-clock'
import type { ChineseWorkdayCalendar } from '../../domain/chinese-calendar'
import { calendarEndpoints } from './calendar.endpoints'
import { conversationEndpoints } from './conversations.endpoints'
import { caseEndpoints } from './cases.endpoints'
import { ALL_ROLES, endpoint, mount, openApiDocument, type Endpoint } from './endpoint'
import { householdEndpoints } from './households.endpoints'
import { letterEndpoints, outboxEndpoint } from './letters.endpoints'
import { reportEndpoints } from './reports.endpoints'
import { tokenEndpoints } from './tokens.endpoints'
import { organisationEndpoints } from './organisation.endpoints'
import { categoryEndpoints } from './categories.endpoints'
import { repairCapacityEndpoints } from './repair-capacity.endpoints'
import { auditEndpoints } from './audit.endpoints'
import { knowledgeEndpoints } from './knowledge.endpoints'
import { personalDataEndpoints } from './personal-data.endpoints'
import type { MediaStore } from '../../services/media/media-store'

export const API_PREFIX = '/api/v1'

const me = endpoint({
  method: 'get',
  path: '/me',
  summary: 'Who the token belongs to, and its role',
  roles: ALL_ROLES,
  async handle({ staff }) {
    return { name: staff.name, role: staff.role, ambassadorId: staff.ambassadorId }
  },
})

/** The route table: every operation of the staff API with the roles that may call it. */
export function apiEndpoints(
  clock: CaseClock,
  onQueued: () => void,
  calendar: ChineseWorkdayCalendar,
): Endpoint[] {
  return [
    me,
    ...calendarEndpoints(clock, calendar),
    ...conversationEndpoints,
    ...householdEndpoints,
    ...caseEndpoints(clock),
    ...letterEndpoints(onQueued),
    outboxEndpoint,
    ...reportEndpoints,
    ...tokenEndpoints,
    ...organisationEndpoints(),
    ...repairCapacityEndpoints(calendar),
    ...categoryEndpoints,
    ...auditEndpoints,
    ...knowledgeEndpoints,
    ...personalDataEndpoints,
  ]
}

/** The staff API under /api/v1, with its OpenAPI document. */
export function adminApiRouter(deps: {
  dataSource: DataSource
  clock: CaseClock
  calendar: ChineseWorkdayCalendar
  now: Clock
  onQueued: () => void
  media?: MediaStore
}): Router {
  const endpoints = apiEndpoints(deps.clock, deps.onQueued, deps.calendar)
  const router = new Router()
  router.get(`${API_PREFIX}/openapi.json`, (ctx) => {
    ctx.body = openApiDocument(API_PREFIX, endpoints)
  })
  mount(router, API_PREFIX, endpoints, {
    dataSource: deps.dataSource,
    now: deps.now,
    onQueued: deps.onQueued,
    media: deps.media,
  })
  return router
}
