import Router from '@koa/router'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { copy } from '../../copy'

const clientScript = readFileSync(path.join(__dirname, 'console.client.js'), 'utf8')

/**
 * Scripts only from this server, none inline, and the page never framed: text owners typed that reached
 * the page unescaped still could not run.
 */
const CONSOLE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** The staff console: one page over the API. Labels travel as a script of their own, from the copy module. */
export function consoleRouter(): Router {
  const router = new Router()
  router.get('/console', (ctx) => {
    ctx.set('content-security-policy', CONSOLE_POLICY)
    ctx.type = 'text/html; charset=utf-8'
    ctx.body = page()
  })
  router.get('/console/copy.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8'
    ctx.body = `window.ANJU_CONSOLE_COPY = ${labels()}`
  })
  router.get('/console/console.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8'
    ctx.body = clientScript
  })
  return router
}

/** The copy the page's script uses; functions of the copy become small client templates. */
function labels(): string {
  const c = copy.console
  return `{
    error: ${JSON.stringify(c.error)},
    signedIn: function (name, role) { return ${JSON.stringify(c.signedInPrefix)} + name + '（' + role + '）' },
    kinds: ${JSON.stringify(copy.caseKinds)},
    statuses: ${JSON.stringify(copy.caseStatuses)},
    sla: ${JSON.stringify(c.sla)},
    conversationStates: ${JSON.stringify(c.conversationStates)},
    channels: ${JSON.stringify(c.channels)},
    authors: ${JSON.stringify(c.authors)},
    cannedNone: ${JSON.stringify(c.cannedNone)},
    knowledge: ${JSON.stringify(c.knowledge)},
    organisation: ${JSON.stringify(c.organisation)},
    intake: ${JSON.stringify(c.intake)},
    mediaKinds: ${JSON.stringify(copy.mediaKinds)},
    mediaStates: ${JSON.stringify(c.mediaStates)},
    mediaOpen: ${JSON.stringify(c.mediaOpen)},
    escalateNeedsReason: ${JSON.stringify(c.escalateNeedsReason)},
    left: ${JSON.stringify(c.left)},
    over: ${JSON.stringify(c.over)},
    updatedAt: ${JSON.stringify(c.updatedAt)},
    caseEvents: ${JSON.stringify(c.caseEvents)},
    dueAt: ${JSON.stringify(c.dueAt)},
    system: ${JSON.stringify(c.system)},
    progress: function (percent, total, by) {
      return percent + '% · ' + ${JSON.stringify(c.recipients)} + total + ' · ' + Object.keys(by).map(function (k) { return (${JSON.stringify(c.deliveryStatuses)}[k] || k) + ' ' + by[k] }).join(' · ')
    },
    summary: function (total, sla, sat) {
      return ${JSON.stringify(c.complaintsTotal)} + total + ' · ' + sla.map(function (s) { return (${JSON.stringify(copy.caseKinds)}[s.kind] || s.kind) + ${JSON.stringify(c.onTime)} + Math.round(s.compliance * 100) + '%' }).join(' ') + ' · ' + ${JSON.stringify(c.satisfaction)} + (sat.average === null ? '—' : sat.average)
    }
  }`
}

function page(): string {
  const c = copy.console
  const option = (value: string, label: string) => `<option value="${value}">${label}</option>`
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${c.title}</title>
<style>
  body { font: 14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px; color: #1f2329; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eee; }
  tr.overdue td { color: #d83931; } .bar { fill: #3370ff; } svg text { font-size: 12px; }
  #progress { background: #eee; height: 12px; border-radius: 6px; overflow: hidden; } #progress-bar { background: #34c724; height: 12px; width: 0; }
  input, select, textarea, button { font: inherit; margin: 2px 4px 2px 0; }
  .split { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 16px; align-items: start; }
  #conv-body tr { cursor: pointer; } #conv-body tr.selected td { background: #eef3ff; } tr.waiting td:first-child { font-weight: 600; }
  #transcript { border: 1px solid #eee; border-radius: 6px; padding: 8px; height: 320px; overflow-y: auto; background: #fafbfc; }
  .msg { max-width: 80%; margin: 6px 0; padding: 6px 10px; border-radius: 8px; white-space: pre-wrap; word-break: break-word; }
  .msg.in { background: #fff; border: 1px solid #e5e6eb; } .msg.out { background: #e1eaff; margin-left: auto; }
  #cases-body tr { cursor: pointer; } #case-view { border: 1px solid #e5e6eb; border-radius: 6px; padding: 8px 12px; margin-top: 12px; }
  #case-view textarea { width: 100%; box-sizing: border-box; } #case-events { color: #4e5969; }
  .countdown { color: #8f959e; } .countdown.soon { color: #d46b08; } .countdown.late { color: #d83931; font-weight: 600; }
  .scroll { max-height: 360px; overflow-y: auto; border: 1px solid #eee; border-radius: 6px; } td button { white-space: nowrap; }
  img.thumb { max-width: 160px; max-height: 120px; border-radius: 4px; margin: 4px 4px 0 0; vertical-align: top; } .media-state { color: #8f959e; }
  .msg .meta { display: block; font-size: 12px; color: #8f959e; } #conv-view textarea { width: 100%; box-sizing: border-box; }
</style>
</head>
<body>
<h1>${c.title}</h1>
<p><input id="token" type="password" placeholder="${c.tokenPlaceholder}" size="48"> <button id="sign-in">${c.signIn}</button> <span id="status"></span></p>
<div id="app" hidden>
  <section id="conversations" hidden>
  <h2>${c.conversations}</h2>
  <p><select id="conv-state">${option('with_staff', c.withStaff)}${option('', c.allConversations)}</select> <span id="conv-updated"></span></p>
  <div class="split">
    <table><thead><tr>${c.conversationColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="conv-body"></tbody></table>
    <div>
      <p id="conv-hint">${c.pickConversation}</p>
      <div id="conv-view" hidden>
        <strong id="conv-title"></strong>
        <div id="transcript" aria-live="polite"></div>
        <form id="reply-form">
          <select id="canned"></select><br>
          <textarea id="reply-text" rows="3" placeholder="${c.replyPlaceholder}"></textarea><br>
          <button type="submit">${c.send}</button> <button type="button" id="release">${c.release}</button>
        </form>
      </div>
    </div>
  </div>
  </section>
  <h2>${c.cases}</h2>
  <p>
    <select id="filter-queue">${Object.entries(c.queues)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <select id="filter-status">${option('', c.allStatuses)}${Object.entries(copy.caseStatuses)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <select id="filter-sla">${option('', c.allSla)}${Object.entries(c.sla)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <select id="filter-project" hidden>${option('', c.allProjects)}</select>
    <button id="filter-apply">${c.apply}</button> <button id="cases-export">${c.exportCsv}</button>
  </p>
  <table><thead><tr>${c.caseColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="cases-body"></tbody></table>
  <button id="more" hidden>${c.more}</button>
  <div id="case-view" hidden>
    <h3 id="case-title"></h3>
    <p id="case-facts"></p>
    <p id="case-description"></p>
    <p id="case-media"></p>
    <p><button type="button" id="case-conversation" hidden>${c.caseConversation}</button></p>
    <ol id="case-events"></ol>
    <form id="case-form">
      <textarea id="case-note" rows="2" placeholder="${c.caseActionNote}"></textarea><br>
      <select id="case-status">${option('', c.keepStatus)}${Object.entries(copy.caseStatuses)
        .map(([k, v]) => option(k, v))
        .join('')}</select>
      <button type="submit">${c.submit}</button>
      <button type="button" id="case-escalate">${c.escalate}</button>
    </form>
    <form id="assign-form" hidden>
      <select id="assign-to">${option('', c.assignTo)}</select>
      <button type="submit">${c.assign}</button>
    </form>
  </div>

  <h3>${c.intake.title}</h3>
  <form id="intake-form">
    <select id="intake-channel">${Object.entries(c.intake.channels)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <select id="intake-kind">${Object.entries(c.intake.kinds)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <input id="intake-category" placeholder="${c.intake.category}" required maxlength="32">
    <label><input id="intake-major" type="checkbox"> ${c.intake.major}</label><br>
    <input id="intake-household" placeholder="${c.intake.householdCode}" size="30">
    <input id="intake-project" type="number" min="1" placeholder="${c.intake.projectId}">
    <input id="intake-reporter" placeholder="${c.intake.reporterName}" maxlength="64">
    <input id="intake-phone" placeholder="${c.intake.reporterPhone}" maxlength="32"><br>
    <textarea id="intake-description" rows="2" cols="80" placeholder="${c.intake.description}" required maxlength="2000"></textarea><br>
    <button type="submit">${c.intake.submit}</button> <span id="intake-status"></span>
  </form>

  <section id="organisation" hidden>
  <h2>${c.organisation.title}</h2>
  <h3>${c.organisation.branchesTitle}</h3>
  <table><thead><tr>${c.organisation.branchColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="org-branches"></tbody></table>
  <form id="org-branch-form" hidden>
    <input id="org-branch-name" placeholder="${c.organisation.branchName}" required maxlength="64" size="16">
    <button type="submit">${c.organisation.addBranch}</button> <span id="org-branch-status"></span>
  </form>
  <h3>${c.organisation.projectsTitle}</h3>
  <div class="scroll"><table><thead><tr>${c.organisation.projectColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="org-projects"></tbody></table></div>
  <form id="org-project-form" hidden>
    <strong id="org-project-title"></strong><br>
    <label>${c.organisation.deliveryDate} <input id="org-delivery" type="date"></label>
    <label>${c.organisation.serviceHours} <input id="org-hours" placeholder="${c.organisation.serviceHoursExample}" size="22" maxlength="11"></label>
    <label>${c.organisation.replyAmount} <input id="org-reply" type="number" min="1" max="2000" placeholder="${c.organisation.blankIsDefault}" style="width: 9em"></label>
    <select id="org-reply-mode" aria-label="${c.organisation.replyAmount}">${Object.entries(
      c.organisation.modes,
    )
      .map(([k, v]) => option(k, v))
      .join('')}</select><br>
    <label>${c.organisation.dispatchMinutes} <input id="org-dispatch" type="number" min="1" max="1440" placeholder="${c.organisation.blankIsDefault}" style="width: 9em"></label>
    <label>${c.organisation.onDuty} <select id="org-on-duty"></select></label><br>
    <button type="submit">${c.organisation.save}</button> <span id="org-status"></span>
  </form>
  <div id="org-teams" hidden>
    <h4>${c.organisation.teamsTitle}</h4>
    <table><thead><tr>${c.organisation.teamColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="org-team-body"></tbody></table>
    <form id="org-team-form">
      <input id="org-team-name" placeholder="${c.organisation.teamName}" required maxlength="32" size="12">
      <button type="submit">${c.organisation.addTeam}</button>
    </form>
    <form id="org-technician-form">
      <select id="org-technician-team" required></select>
      <input id="org-technician-name" placeholder="${c.organisation.technicianName}" required maxlength="32" size="10">
      <input id="org-technician-phone" placeholder="${c.organisation.phone}" maxlength="32" size="14">
      <button type="submit">${c.organisation.addTechnician}</button> <span id="org-team-status"></span>
    </form>
  </div>
  <h3>${c.organisation.staffTitle}</h3>
  <div class="scroll"><table><thead><tr>${c.organisation.staffColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="org-staff"></tbody></table></div>
  <form id="org-staff-form">
    <input id="org-staff-name" placeholder="${c.organisation.staffName}" required maxlength="64" size="10">
    <input id="org-staff-userid" placeholder="${c.organisation.wecomUserId}" required maxlength="64" size="28">
    <input id="org-staff-phone" placeholder="${c.organisation.phone}" maxlength="32" size="14">
    <select id="org-staff-role">${Object.entries(c.organisation.roles)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <select id="org-staff-project"></select>
    <select id="org-staff-supervisor"></select>
    <button type="submit">${c.organisation.addStaff}</button> <span id="org-staff-status"></span>
  </form>
  <h3>${c.organisation.rulesTitle}</h3>
  <table><thead><tr>${c.organisation.ruleColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="org-rules"></tbody></table>
  <form id="org-rule-form">
    <select id="org-rule-project" required></select>
    <input id="org-rule-building" placeholder="${c.organisation.ruleBuilding}" maxlength="64" size="30">
    <select id="org-rule-ambassador" required></select>
    <button type="submit">${c.organisation.addRule}</button> <span id="org-rule-status"></span>
  </form>
  <h3>${c.organisation.categoriesTitle}</h3>
  <div class="scroll"><table><thead><tr>${c.organisation.categoryColumns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="org-categories"></tbody></table></div>
  <form id="org-category-form">
    <select id="org-category-kind">${Object.entries(c.organisation.kinds)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <input id="org-category-name" placeholder="${c.organisation.categoryName}" required maxlength="32" size="12">
    <input id="org-category-warranty" type="number" min="0" max="600" placeholder="${c.organisation.warrantyMonths}" style="width: 16em">
    <label><input id="org-category-major" type="checkbox"> ${c.organisation.majorWorks}</label>
    <label><input id="org-category-emergency" type="checkbox"> ${c.organisation.emergency}</label>
    <button type="submit">${c.organisation.addCategory}</button> <span id="org-category-status"></span>
  </form>
  </section>

  <section id="knowledge" hidden>
  <h2>${c.knowledge.title}</h2>
  <p><input id="kb-search" placeholder="${c.knowledge.search}" size="30"> <button id="kb-load">${c.load}</button></p>
  <div class="scroll"><table><thead><tr>${c.knowledge.columns.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="kb-body"></tbody></table></div>
  <form id="kb-form">
    <input id="kb-question" placeholder="${c.knowledge.question}" required size="40" maxlength="200">
    <input id="kb-project" type="number" min="1" placeholder="${c.knowledge.projectId}" size="24"><br>
    <textarea id="kb-paraphrases" rows="2" cols="80" placeholder="${c.knowledge.paraphrases}"></textarea><br>
    <textarea id="kb-answer" rows="3" cols="80" placeholder="${c.knowledge.answer}" required maxlength="2000"></textarea><br>
    <input id="kb-tags" placeholder="${c.knowledge.tags}" size="30"> <button type="submit">${c.knowledge.save}</button> <span id="kb-status"></span>
  </form>
  <h3>${c.knowledge.unanswered}</h3>
  <ol id="kb-unanswered"></ol>
  </section>

  <h2>${c.letters}</h2>
  <form id="letter-form">
    <select id="letter-kind">${Object.entries(copy.letters.kinds)
      .map(([k, v]) => option(k, v))
      .join('')}</select>
    <input id="letter-project" type="number" min="1" placeholder="${c.projectId}" required>
    <input id="letter-title" placeholder="${c.letterTitle}" required size="40"><br>
    <textarea id="letter-body" rows="4" cols="80" placeholder="${c.letterBody}" required></textarea><br>
    <button type="submit">${c.publish}</button>
  </form>
  <div id="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"><div id="progress-bar"></div></div>
  <p id="progress-text"></p>

  <h2>${c.reports}</h2>
  <p><input id="report-month" type="month"> <button id="report-load">${c.load}</button></p>
  <svg id="chart" width="520" height="30" role="img" aria-label="${c.chartLabel}"></svg>
  <p id="report-summary"></p>
</div>
<script src="/console/copy.js"></script>
<script src="/console/console.js"></script>
</body>
</html>`
}
