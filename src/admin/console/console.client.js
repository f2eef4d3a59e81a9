/* Anju staff console: cases, letter broadcasts with live progress, reports with charts.
 * A plain browser script over the /api/v1 API; the bearer token stays in this tab (sessionStorage). */
;(function () {
  'use strict'
  var copy = window.ANJU_CONSOLE_COPY
  var $ = function (id) {
    return document.getElementById(id)
  }
  var token = sessionStorage.getItem('anju-token') || ''

  function api(path, options) {
    options = options || {}
    var headers = { authorization: 'Bearer ' + token }
    if (options.body) headers['content-type'] = 'application/json'
    return fetch('/api/v1' + path, {
      method: options.method || 'GET',
      headers: headers,
      body: options.body,
    }).then(function (response) {
      if (response.status === 204) return null
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.title || response.statusText)
        return data
      })
    })
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key]
      else node.setAttribute(key, attrs[key])
    })
    ;(children || []).forEach(function (child) {
      node.appendChild(child)
    })
    return node
  }

  /** Times as the service team reads them, in Beijing time wherever the browser is. */
  function shanghai(at) {
    return new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
  }

  function fail(error) {
    $('status').textContent = copy.error + error.message
  }

  function signIn() {
    token = $('token').value.trim()
    sessionStorage.setItem('anju-token', token)
    api('/me')
      .then(function (who) {
        me = who
        $('status').textContent = copy.signedIn(me.name, me.role)
        // "Mine" only for staff who hold cases themselves.
        $('filter-queue').querySelector('option[value="mine"]').hidden = !me.ambassadorId
        $('app').hidden = false
        loadStaff()
        loadProjects()
        loadCases()
        startConversations()
        loadKnowledge()
        loadOrganisation()
      })
      .catch(fail)
  }

  var me = null
  var cursor = null
  /** Time to the deadline, ticking: the deadline already counts working hours, so this is wall time. */
  function countdown(dueAt) {
    var node = el('span', { class: 'countdown', 'data-due': dueAt })
    tick(node)
    return node
  }

  function tick(node) {
    var minutes = Math.round((new Date(node.getAttribute('data-due')).getTime() - Date.now()) / 60000)
    var span = Math.abs(minutes)
    var text = (span >= 60 ? Math.floor(span / 60) + '小时' : '') + (span % 60) + '分'
    node.textContent = ' · ' + (minutes >= 0 ? copy.left : copy.over) + text
    node.className = 'countdown' + (minutes < 0 ? ' late' : minutes < 120 ? ' soon' : '')
  }

  /** Counting down only while the clock runs: not once the reply was made in time, nor while paused. */
  function isOpen(c) {
    return c.slaState === 'running' || c.slaState === 'due_soon' || c.slaState === 'breached'
  }

  setInterval(function () {
    Array.prototype.forEach.call(document.querySelectorAll('.countdown'), tick)
  }, 30000)

  function loadProjects() {
    api('/projects')
      .then(function (list) {
        var select = $('filter-project')
        list.items.forEach(function (p) {
          select.appendChild(
            el('option', { value: String(p.id), text: p.name + (p.branch ? '（' + p.branch + '）' : '') }),
          )
        })
        select.hidden = list.items.length < 2
      })
      .catch(function () {
        // Ambassadors see their own cases; no project list to choose from.
      })
  }

  /** The list's filters as query parameters: the queue and the selects. */
  function caseFilters() {
    var params = new URLSearchParams()
    if ($('filter-status').value) params.set('status', $('filter-status').value)
    if ($('filter-sla').value) params.set('sla', $('filter-sla').value)
    if ($('filter-project').value) params.set('project', $('filter-project').value)
    // Queues are shortcuts over the same filters: mine, nobody's yet, overdue, due soon.
    var queue = $('filter-queue').value
    if (queue === 'mine' && me && me.ambassadorId) params.set('ambassador', String(me.ambassadorId))
    if (queue === 'unassigned') params.set('unassigned', 'true')
    if (queue === 'breached' || queue === 'due_soon') params.set('sla', queue)
    return params
  }

  /** Every case the filters match, as a spreadsheet (the token stays in this tab: fetched, then saved). */
  function exportCases() {
    var params = caseFilters()
    params.set('format', 'csv')
    fetch('/api/v1/cases?' + params, { headers: { authorization: 'Bearer ' + token } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.statusText)
        return response.blob()
      })
      .then(function (blob) {
        var link = el('a', { href: URL.createObjectURL(blob), download: 'cases.csv' })
        document.body.appendChild(link)
        link.click()
        link.remove()
      })
      .catch(fail)
  }

  function loadCases(more) {
    var params = caseFilters()
    params.set('limit', '20')
    if (more && cursor) params.set('cursor', cursor)
    api('/cases?' + params)
      .then(function (page) {
        var body = $('cases-body')
        if (!more) body.textContent = ''
        page.items.forEach(function (c) {
          var row = el('tr', { class: c.slaState === 'breached' ? 'overdue' : '' }, [
            el('td', { text: c.caseNo }),
            el('td', { text: copy.kinds[c.kind] || c.kind }),
            el('td', { text: c.category }),
            el('td', { text: copy.statuses[c.status] || c.status }),
            el('td', { text: c.ownerName || '—' }),
            el('td', { text: c.ambassadorName || '—' }),
            el(
              'td',
              { text: c.replyDueAt ? shanghai(c.replyDueAt) : '—' },
              c.replyDueAt && isOpen(c) ? [countdown(c.replyDueAt)] : [],
            ),
            el('td', { text: c.slaState ? copy.sla[c.slaState] : '—' }),
          ])
          row.addEventListener('click', function () {
            showCase(c.caseNo)
          })
          body.appendChild(row)
        })
        cursor = page.nextCursor
        $('more').hidden = !cursor
      })
      .catch(fail)
  }

  // One case: its facts, its history, and a note or a status change (a note with a change is the reply).
  var openCase = null
  function showCase(caseNo) {
    openCase = caseNo
    api('/cases/' + encodeURIComponent(caseNo))
      .then(function (c) {
        $('case-view').hidden = false
        $('case-title').textContent = c.caseNo + ' · ' + (copy.kinds[c.kind] || c.kind) + ' · ' + c.category
        $('case-facts').textContent = [
          copy.statuses[c.status] || c.status,
          c.slaState ? copy.sla[c.slaState] : '',
          c.replyDueAt ? copy.dueAt + shanghai(c.replyDueAt) : '',
          c.ownerName || '',
          c.unit || '',
          c.ambassadorName || '',
        ]
          .filter(Boolean)
          .join(' · ')
        $('case-description').textContent = c.description || ''
        var talk = $('case-conversation')
        talk.hidden = !c.conversationId
        talk.onclick = function () {
          openConversation = c.conversationId
          $('conv-title').textContent = 'C' + c.conversationId + ' · ' + (c.ownerName || '—')
          showTranscript(c.conversationId)
          $('conversations').scrollIntoView()
        }
        var photos = $('case-media')
        photos.textContent = ''
        ;(c.media || []).forEach(function (m) {
          photos.appendChild(mediaNode(m.kind || 'image', m))
        })
        var events = $('case-events')
        events.textContent = ''
        c.events.forEach(function (e) {
          var said = e.data && (e.data.note || e.data.text || e.data.reason)
          // A hand-over names the new holder where the caller knows the staff list.
          if (e.kind === 'reassigned' && e.data && staffNames[e.data.to]) said = '→ ' + staffNames[e.data.to]
          events.appendChild(
            el('li', {
              text:
                shanghai(e.at) +
                ' ' +
                (copy.caseEvents[e.kind] || e.kind) +
                ' · ' +
                who(e.actor) +
                (said ? '：' + said : ''),
            }),
          )
        })
      })
      .catch(fail)
  }

  /** To the group centre, with the reason written in the note box. */
  function escalateCase() {
    var reason = $('case-note').value.trim()
    if (!openCase) return
    if (reason.length < 2) {
      $('status').textContent = copy.escalateNeedsReason
      return
    }
    api('/cases/' + encodeURIComponent(openCase) + '/escalate', {
      method: 'POST',
      body: JSON.stringify({ reason: reason }),
    })
      .then(function () {
        $('case-note').value = ''
        showCase(openCase)
        loadCases(false)
      })
      .catch(fail)
  }

  var staffNames = {}
  // Staff the caller may hand cases to (the group and branch heads); others do not see the form.
  function loadStaff() {
    api('/staff')
      .then(function (list) {
        var select = $('assign-to')
        list.items
          .filter(function (s) {
            return s.active && (s.role === 'ambassador' || s.role === 'supervisor')
          })
          .forEach(function (s) {
            select.appendChild(el('option', { value: String(s.id), text: s.name }))
          })
        list.items.forEach(function (s) {
          staffNames[s.id] = s.name
        })
        $('assign-form').hidden = false
      })
      .catch(function () {
        $('assign-form').hidden = true
      })
  }

  function assignCase(event) {
    event.preventDefault()
    var to = $('assign-to').value
    if (!openCase || !to) return
    api('/cases/' + encodeURIComponent(openCase) + '/assign', {
      method: 'POST',
      body: JSON.stringify({ ambassadorId: Number(to) }),
    })
      .then(function () {
        $('assign-to').value = ''
        showCase(openCase)
        loadCases(false)
      })
      .catch(fail)
  }

  /** Who acted, as people say it: "staff:3:李娜" is 李娜, "owner:4" the owner, "system" the clock. */
  function who(actor) {
    var parts = String(actor).split(':')
    if (parts[0] === 'staff') return parts.slice(2).join(':') || parts[0]
    if (parts[0] === 'owner') return copy.authors.owner
    if (parts[0] === 'system') return copy.system
    return parts.slice(1).join(':') || actor
  }

  function actOnCase(event) {
    event.preventDefault()
    if (!openCase) return
    var note = $('case-note').value.trim()
    var status = $('case-status').value
    if (!note && !status) return
    var path = '/cases/' + encodeURIComponent(openCase) + (status ? '/transition' : '/notes')
    var body = status ? { status: status } : { note: note }
    if (status && note) body.note = note
    api(path, { method: 'POST', body: JSON.stringify(body) })
      .then(function () {
        $('case-note').value = ''
        $('case-status').value = ''
        showCase(openCase)
        loadCases(false)
      })
      .catch(fail)
  }

  function publishLetter(event) {
    event.preventDefault()
    var draft = {
      kind: $('letter-kind').value,
      projectId: Number($('letter-project').value),
      title: $('letter-title').value,
      body: $('letter-body').value,
    }
    api('/letters', { method: 'POST', body: JSON.stringify(draft) })
      .then(function (created) {
        return api('/letters/' + created.id + '/publish', { method: 'POST' }).then(function () {
          watch(created.id)
        })
      })
      .catch(fail)
  }

  function watch(letterId) {
    api('/letters/' + letterId)
      .then(function (letter) {
        var p = letter.progress
        var percent = p.total === 0 ? 100 : Math.round(((p.total - (p.byStatus.queued || 0)) / p.total) * 100)
        $('progress-bar').style.width = percent + '%'
        $('progress-bar').setAttribute('aria-valuenow', String(percent))
        $('progress-text').textContent = copy.progress(percent, p.total, p.byStatus)
        if (!p.done)
          setTimeout(function () {
            watch(letterId)
          }, 500)
      })
      .catch(fail)
  }

  function loadReports() {
    var month = $('report-month').value
    Promise.all([
      api('/reports/complaints?month=' + month),
      api('/reports/sla?month=' + month),
      api('/reports/satisfaction?month=' + month),
    ])
      .then(function (results) {
        drawBars($('chart'), results[0].byCategory)
        $('report-summary').textContent = copy.summary(results[0].total, results[1].byKind, results[2])
      })
      .catch(fail)
  }

  /** Horizontal bars in SVG: one per category, length by complaints. */
  function drawBars(svg, rows) {
    var ns = 'http://www.w3.org/2000/svg'
    svg.textContent = ''
    var max = Math.max.apply(
      null,
      rows
        .map(function (r) {
          return r.complaints
        })
        .concat([1]),
    )
    rows.forEach(function (row, i) {
      var y = i * 28 + 4
      var bar = document.createElementNS(ns, 'rect')
      bar.setAttribute('x', '120')
      bar.setAttribute('y', String(y))
      bar.setAttribute('height', '20')
      bar.setAttribute('width', String(Math.max(2, (row.complaints / max) * 360)))
      bar.setAttribute('class', 'bar')
      var label = document.createElementNS(ns, 'text')
      label.setAttribute('x', '0')
      label.setAttribute('y', String(y + 15))
      label.textContent = row.key + ' ' + row.complaints
      svg.appendChild(bar)
      svg.appendChild(label)
    })
    svg.setAttribute('height', String(Math.max(30, rows.length * 28 + 8)))
  }

  // Conversations: the queue of owners waiting for a person, the transcript, replies and hand-back.
  var openConversation = null
  var conversationTimer = null
  function startConversations() {
    api('/canned-replies')
      .then(function (list) {
        $('conversations').hidden = false
        var select = $('canned')
        select.textContent = ''
        select.appendChild(el('option', { value: '', text: copy.cannedNone }))
        list.items.forEach(function (reply) {
          select.appendChild(el('option', { value: String(reply.id), text: reply.title }))
        })
        loadConversations()
        if (conversationTimer) clearInterval(conversationTimer)
        // Polling keeps the queue and the open transcript current without a socket through proxies.
        conversationTimer = setInterval(function () {
          loadConversations()
          if (openConversation) showTranscript(openConversation)
        }, 5000)
      })
      .catch(function () {
        // Roles without conversations (letter staff) simply do not see the panel.
        $('conversations').hidden = true
      })
  }

  function loadConversations() {
    var params = new URLSearchParams({ limit: '50' })
    if ($('conv-state').value) params.set('state', $('conv-state').value)
    api('/conversations?' + params)
      .then(function (list) {
        var body = $('conv-body')
        body.textContent = ''
        list.items.forEach(function (c) {
          var classes =
            (c.state === 'with_staff' ? 'waiting' : '') + (c.id === openConversation ? ' selected' : '')
          var row = el('tr', { class: classes, 'data-id': String(c.id) }, [
            el('td', { text: 'C' + c.id }),
            el('td', { text: c.ownerName || '—' }),
            el('td', { text: copy.channels[c.channel] || c.channel }),
            el('td', { text: copy.conversationStates[c.state] || c.state }),
            el('td', { text: c.lastInboundAt ? shanghai(c.lastInboundAt) : '—' }),
          ])
          row.addEventListener('click', function () {
            openConversation = c.id
            $('conv-title').textContent = 'C' + c.id + ' · ' + (c.ownerName || '—')
            showTranscript(c.id)
            loadConversations()
          })
          body.appendChild(row)
        })
        $('conv-updated').textContent =
          copy.updatedAt + new Date().toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai' })
      })
      .catch(fail)
  }

  /** An owner's photo as a thumbnail linking to the full picture; other files as a link; or their state. */
  function mediaNode(kind, stored) {
    var label = copy.mediaKinds[kind] || kind
    if (!stored || stored.status !== 'stored') {
      var state = stored ? copy.mediaStates[stored.status] || stored.status : copy.mediaStates.unknown
      return el('span', { class: 'media-state', text: '[' + label + '] ' + state })
    }
    var link = el('a', { href: stored.url, target: '_blank', rel: 'noopener' })
    if (stored.thumbnailUrl)
      link.appendChild(el('img', { src: stored.thumbnailUrl, alt: label, class: 'thumb' }))
    else link.textContent = '[' + label + '] ' + copy.mediaOpen
    return link
  }

  function showTranscript(id) {
    api('/conversations/' + id + '/messages?limit=100')
      .then(function (history) {
        $('conv-hint').hidden = true
        $('conv-view').hidden = false
        var box = $('transcript')
        box.textContent = ''
        history.items.forEach(function (m) {
          var who = copy.authors[m.author] || m.author
          var parts = [
            el('span', { class: 'meta', text: who + ' · ' + shanghai(m.at) }),
            document.createTextNode(m.text || ''),
          ]
          if (m.media) parts.push(mediaNode(m.media.kind, m.media.stored))
          box.appendChild(el('div', { class: 'msg ' + m.direction }, parts))
        })
        box.scrollTop = box.scrollHeight
      })
      .catch(fail)
  }

  function sendReply(event) {
    event.preventDefault()
    if (!openConversation) return
    var canned = $('canned').value
    var text = $('reply-text').value.trim()
    if (!canned && !text) return
    var body = canned ? { cannedReplyId: Number(canned) } : { text: text }
    api('/conversations/' + openConversation + '/messages', { method: 'POST', body: JSON.stringify(body) })
      .then(function () {
        $('reply-text').value = ''
        $('canned').value = ''
        showTranscript(openConversation)
        loadConversations()
      })
      .catch(fail)
  }

  function release() {
    if (!openConversation) return
    api('/conversations/' + openConversation + '/release', { method: 'POST' })
      .then(function () {
        showTranscript(openConversation)
        loadConversations()
      })
      .catch(fail)
  }

  // Knowledge base: the entries owners' questions are answered from, and what went unanswered.
  var KNOWLEDGE_EDITORS = ['admin', 'group_centre', 'branch_head']
  function loadKnowledge() {
    var q = $('kb-search').value.trim()
    api('/knowledge' + (q ? '?q=' + encodeURIComponent(q) : ''))
      .then(function (list) {
        $('knowledge').hidden = false
        var editor = KNOWLEDGE_EDITORS.indexOf(me.role) >= 0
        $('kb-form').hidden = !editor
        var body = $('kb-body')
        body.textContent = ''
        list.items.forEach(function (entry) {
          var retire = el('button', { type: 'button', text: copy.knowledge.retire })
          retire.hidden = !editor
          retire.addEventListener('click', function () {
            api('/knowledge/' + entry.id, { method: 'DELETE' })
              .then(loadKnowledge)
              .catch(fail)
          })
          body.appendChild(
            el('tr', { 'data-id': String(entry.id) }, [
              el('td', { text: entry.question }),
              el('td', { text: entry.projectName || copy.knowledge.groupWide }),
              el('td', { text: entry.answer.length > 60 ? entry.answer.slice(0, 60) + '…' : entry.answer }),
              el('td', {}, [retire]),
            ]),
          )
        })
        loadUnanswered()
      })
      .catch(function () {
        $('knowledge').hidden = true
      })
  }

  function loadUnanswered() {
    // The server's business clock sets the range: the last 30 days.
    api('/reports/knowledge')
      .then(function (report) {
        var list = $('kb-unanswered')
        list.textContent = ''
        if (report.unansweredQuestions.length === 0)
          list.appendChild(el('li', { text: copy.knowledge.noneUnanswered }))
        report.unansweredQuestions.forEach(function (item) {
          var add = el('button', { type: 'button', text: copy.knowledge.addThis })
          add.addEventListener('click', function () {
            $('kb-question').value = item.question
            $('kb-answer').focus()
          })
          list.appendChild(
            el('li', { text: item.question + ' · ' + item.asked + copy.knowledge.times + ' ' }, [add]),
          )
        })
      })
      .catch(fail)
  }

  function saveKnowledge(event) {
    event.preventDefault()
    var lines = function (text) {
      return text
        .split(/\n/)
        .map(function (line) {
          return line.trim()
        })
        .filter(Boolean)
    }
    var entry = {
      question: $('kb-question').value.trim(),
      answer: $('kb-answer').value.trim(),
      paraphrases: lines($('kb-paraphrases').value),
      tags: $('kb-tags').value.split(/\s+/).filter(Boolean),
      projectId: $('kb-project').value ? Number($('kb-project').value) : null,
    }
    api('/knowledge', { method: 'POST', body: JSON.stringify(entry) })
      .then(function () {
        $('kb-status').textContent = copy.knowledge.saved
        $('kb-form').reset()
        loadKnowledge()
      })
      .catch(fail)
  }

  // Cases that came in elsewhere: an owner's by household code, anyone else's by project and name.
  function openIntakeCase(event) {
    event.preventDefault()
    var code = $('intake-household').value.trim()
    var body = {
      channel: $('intake-channel').value,
      kind: $('intake-kind').value,
      category: $('intake-category').value.trim(),
      description: $('intake-description').value.trim(),
      major: $('intake-major').checked,
    }
    var household = code
      ? api('/households?q=' + encodeURIComponent(code)).then(function (found) {
          var match = found.items.filter(function (h) {
            return h.code === code
          })[0]
          if (!match) throw new Error(copy.intake.noSuchHousehold)
          return { householdId: match.id }
        })
      : Promise.resolve({
          projectId: Number($('intake-project').value),
          reporter: $('intake-phone').value.trim()
            ? { name: $('intake-reporter').value.trim(), phone: $('intake-phone').value.trim() }
            : { name: $('intake-reporter').value.trim() },
        })
    household
      .then(function (whose) {
        Object.keys(whose).forEach(function (key) {
          body[key] = whose[key]
        })
        return api('/cases', { method: 'POST', body: JSON.stringify(body) })
      })
      .then(function (opened) {
        $('intake-status').textContent = copy.intake.opened + opened.caseNo
        $('intake-form').reset()
        loadCases(false)
      })
      .catch(fail)
  }

  // Projects and staff, for those who set up the organisation (the API scopes what they see).
  var ORGANISERS = ['admin', 'group_centre', 'branch_head']
  var projects = []
  var editedProject = null

  function policyText(policy) {
    if (!policy) return copy.organisation.byDefault
    if (policy.minutes % 60 !== 0) return policy.minutes + copy.organisation.minutes
    return policy.minutes / 60 + ' ' + copy.organisation.modes[policy.mode]
  }

  function fillSelect(select, first, items, label) {
    select.textContent = ''
    select.appendChild(el('option', { value: '', text: first }))
    items.forEach(function (item) {
      select.appendChild(el('option', { value: String(item.id), text: label(item) }))
    })
  }

  function loadOrganisation() {
    if (ORGANISERS.indexOf(me.role) < 0) return
    Promise.all([api('/projects'), api('/staff')])
      .then(function (results) {
        projects = results[0].items
        var staff = results[1].items
        $('organisation').hidden = false
        var nameOf = {}
        staff.forEach(function (s) {
          nameOf[s.id] = s.name
        })
        var projectName = {}
        var body = $('org-projects')
        body.textContent = ''
        projects.forEach(function (p) {
          projectName[p.id] = p.name
          var edit = el('button', { type: 'button', text: copy.organisation.edit })
          edit.addEventListener('click', function () {
            editProject(p)
          })
          body.appendChild(
            el('tr', {}, [
              el('td', { text: p.code }),
              el('td', { text: p.name }),
              el('td', { text: p.branch || '' }),
              el('td', { text: p.deliveryDate || '' }),
              el('td', { text: p.serviceHours || copy.organisation.byDefault }),
              el('td', { text: policyText(p.slaPolicies.complaintReply) }),
              el('td', { text: policyText(p.slaPolicies.repairDispatch) }),
              el('td', { text: p.onDutyStaffId ? nameOf[p.onDutyStaffId] || '#' + p.onDutyStaffId : '' }),
              el('td', {}, [edit]),
            ]),
          )
        })
        var people = $('org-staff')
        people.textContent = ''
        staff.forEach(function (s) {
          people.appendChild(
            el('tr', {}, [
              el('td', { text: s.name }),
              el('td', { text: s.wecomUserId }),
              el('td', { text: copy.organisation.roles[s.role] || s.role }),
              el('td', { text: s.projectId ? projectName[s.projectId] || '#' + s.projectId : '' }),
              el('td', { text: s.active ? copy.organisation.active : copy.organisation.left }),
            ]),
          )
        })
        var active = staff.filter(function (s) {
          return s.active
        })
        var staffLabel = function (s) {
          return s.name + '（' + (copy.organisation.roles[s.role] || s.role) + '）'
        }
        fillSelect($('org-on-duty'), copy.organisation.noOnDuty, active, staffLabel)
        fillSelect($('org-staff-supervisor'), copy.organisation.noSupervisor, active, staffLabel)
        fillSelect($('org-staff-project'), copy.organisation.noProject, projects, function (p) {
          return p.name
        })
        var ambassadors = active.filter(function (s) {
          return s.role === 'ambassador'
        })
        fillSelect($('org-rule-ambassador'), '', ambassadors, staffLabel)
        fillSelect($('org-rule-project'), '', projects, function (p) {
          return p.name
        })
        loadRules()
        loadCategories()
        loadBranches()
        // The project being edited, as saved (its on-duty choice survives the lists being rebuilt).
        var edited =
          editedProject &&
          projects.filter(function (p) {
            return p.id === editedProject.id
          })[0]
        if (edited) editProject(edited, true)
      })
      .catch(fail)
  }

  // The edited project's repair teams and technicians (capacity templates are set through the API).
  function loadTeams() {
    if (!editedProject) return
    api('/projects/' + editedProject.id + '/repair-teams')
      .then(function (list) {
        $('org-teams').hidden = false
        var body = $('org-team-body')
        body.textContent = ''
        list.items.forEach(function (team) {
          var people = team.technicians
            .filter(function (x) {
              return x.active
            })
            .map(function (x) {
              return x.name + (x.phone ? ' ' + x.phone : '')
            })
            .join('、')
          body.appendChild(
            el('tr', {}, [
              el('td', { text: team.name + (team.active ? '' : '（' + copy.organisation.retired + '）') }),
              el('td', { text: people }),
              el('td', {
                text: team.repairCapacity ? copy.organisation.capacitySet : copy.organisation.capacityNone,
              }),
            ]),
          )
        })
        fillSelect(
          $('org-technician-team'),
          '',
          list.items.filter(function (t) {
            return t.active
          }),
          function (t) {
            return t.name
          },
        )
      })
      .catch(fail)
  }

  /**
   * An organisation form's change sent to the API; its status line then says what `done` returns (after
   * clearing the form and reloading what changed; nothing is said for null), or why the API refused it.
   */
  function sendChange(status, method, path, body, done) {
    api(path, { method: method, body: JSON.stringify(body) })
      .then(function () {
        var said = done()
        if (said !== null) $(status).textContent = said
      })
      .catch(function (error) {
        $(status).textContent = copy.error + error.message
      })
  }

  function teamChange(path, body, form) {
    return function (event) {
      event.preventDefault()
      sendChange('org-team-status', 'POST', path(), body(), function () {
        $(form).reset()
        loadTeams()
        return copy.organisation.saved
      })
    }
  }

  function loadBranches() {
    api('/branches')
      .then(function (list) {
        $('org-branch-form').hidden = ['admin', 'group_centre'].indexOf(me.role) < 0
        var body = $('org-branches')
        body.textContent = ''
        list.items.forEach(function (branch) {
          body.appendChild(
            el('tr', {}, [
              el('td', { text: branch.name }),
              el('td', { text: String(branch.projects) }),
              el('td', { text: branch.head ? branch.head.name : '' }),
            ]),
          )
        })
      })
      .catch(fail)
  }

  function addBranch(event) {
    event.preventDefault()
    var name = $('org-branch-name').value.trim()
    sendChange('org-branch-status', 'POST', '/branches', { name: name }, function () {
      $('org-branch-form').reset()
      loadBranches()
      return copy.organisation.added + name
    })
  }

  function loadRules() {
    api('/assignment-rules')
      .then(function (list) {
        var body = $('org-rules')
        body.textContent = ''
        list.items.forEach(function (rule) {
          var remove = el('button', { type: 'button', text: copy.organisation.removeRule })
          remove.addEventListener('click', function () {
            api('/assignment-rules/' + rule.id, { method: 'DELETE' })
              .then(loadRules)
              .catch(fail)
          })
          body.appendChild(
            el('tr', {}, [
              el('td', { text: rule.projectName }),
              el('td', { text: rule.building || copy.organisation.wholeProject }),
              el('td', {
                text: rule.ambassadorName + (rule.active ? '' : '（' + copy.organisation.left + '）'),
              }),
              el('td', {}, [remove]),
            ]),
          )
        })
      })
      .catch(fail)
  }

  function addRule(event) {
    event.preventDefault()
    var rule = {
      projectId: Number($('org-rule-project').value),
      ambassadorId: Number($('org-rule-ambassador').value),
      building: $('org-rule-building').value.trim() || null,
    }
    sendChange('org-rule-status', 'POST', '/assignment-rules', rule, function () {
      $('org-rule-building').value = ''
      loadRules()
      return copy.organisation.saved
    })
  }

  // Categories: every organiser reads them; only the group's changes are accepted by the API.
  function loadCategories() {
    api('/categories?includeRetired=true')
      .then(function (list) {
        var body = $('org-categories')
        body.textContent = ''
        list.items.forEach(function (category) {
          var toggle = el('button', {
            type: 'button',
            text: category.active ? copy.organisation.retire : copy.organisation.restore,
          })
          toggle.addEventListener('click', function () {
            sendChange(
              'org-category-status',
              'PATCH',
              '/categories/' + category.id,
              { active: !category.active },
              function () {
                loadCategories()
                return null
              },
            )
          })
          var months =
            category.kind !== 'repair'
              ? ''
              : category.warrantyMonths !== null
                ? String(category.warrantyMonths)
                : category.statutoryMonths > 0
                  ? copy.organisation.statutory + ' ' + category.statutoryMonths
                  : copy.organisation.noWarranty
          body.appendChild(
            el('tr', {}, [
              el('td', { text: copy.organisation.kinds[category.kind] }),
              el('td', { text: category.name }),
              el('td', { text: months }),
              el('td', { text: category.majorWorks ? copy.organisation.yes : '' }),
              el('td', { text: category.emergency ? copy.organisation.yes : '' }),
              el('td', { text: category.active ? '' : copy.organisation.retired }),
              el('td', {}, [toggle]),
            ]),
          )
        })
      })
      .catch(fail)
  }

  function addCategory(event) {
    event.preventDefault()
    var repair = $('org-category-kind').value === 'repair'
    var category = { kind: $('org-category-kind').value, name: $('org-category-name').value.trim() }
    if (repair) {
      if ($('org-category-warranty').value) category.warrantyMonths = Number($('org-category-warranty').value)
      category.majorWorks = $('org-category-major').checked
      category.emergency = $('org-category-emergency').checked
    }
    sendChange('org-category-status', 'POST', '/categories', category, function () {
      $('org-category-form').reset()
      loadCategories()
      return copy.organisation.added + category.name
    })
  }

  function editProject(project, keepStatus) {
    editedProject = project
    $('org-project-form').hidden = false
    $('org-project-title').textContent = copy.organisation.editing + project.name
    $('org-hours').value = project.serviceHours || ''
    $('org-delivery').value = project.deliveryDate || ''
    var reply = project.slaPolicies.complaintReply
    $('org-reply').value = reply ? String(reply.minutes / 60) : ''
    $('org-reply-mode').value = reply ? reply.mode : 'workday'
    var dispatch = project.slaPolicies.repairDispatch
    $('org-dispatch').value = dispatch ? String(dispatch.minutes) : ''
    $('org-on-duty').value = project.onDutyStaffId ? String(project.onDutyStaffId) : ''
    loadTeams()
    if (keepStatus) return
    $('org-status').textContent = ''
    $('org-hours').focus()
  }

  function saveProject(event) {
    event.preventDefault()
    var policies = JSON.parse(JSON.stringify(editedProject.slaPolicies))
    var reply = $('org-reply').value
    if (reply)
      policies.complaintReply = { mode: $('org-reply-mode').value, minutes: Math.round(Number(reply) * 60) }
    else delete policies.complaintReply
    var dispatch = $('org-dispatch').value
    if (dispatch) policies.repairDispatch = { mode: 'business', minutes: Number(dispatch) }
    else delete policies.repairDispatch
    var change = {
      serviceHours: $('org-hours').value.trim() || null,
      slaPolicies: policies,
      deliveryDate: $('org-delivery').value || null,
    }
    if ($('org-on-duty').value) change.onDutyStaffId = Number($('org-on-duty').value)
    sendChange('org-status', 'PATCH', '/projects/' + editedProject.id, change, function () {
      loadOrganisation()
      return copy.organisation.saved
    })
  }

  function addStaff(event) {
    event.preventDefault()
    var person = {
      name: $('org-staff-name').value.trim(),
      wecomUserId: $('org-staff-userid').value.trim(),
      phone: $('org-staff-phone').value.trim(),
      role: $('org-staff-role').value,
      projectId: $('org-staff-project').value ? Number($('org-staff-project').value) : null,
      supervisorId: $('org-staff-supervisor').value ? Number($('org-staff-supervisor').value) : null,
    }
    sendChange('org-staff-status', 'POST', '/staff', person, function () {
      $('org-staff-form').reset()
      loadOrganisation()
      loadStaff()
      return copy.organisation.added + person.name
    })
  }

  $('token').value = token
  $('org-project-form').addEventListener('submit', saveProject)
  $('org-staff-form').addEventListener('submit', addStaff)
  $('org-rule-form').addEventListener('submit', addRule)
  $('org-branch-form').addEventListener('submit', addBranch)
  $('org-team-form').addEventListener(
    'submit',
    teamChange(
      function () {
        return '/projects/' + editedProject.id + '/repair-teams'
      },
      function () {
        return { name: $('org-team-name').value.trim() }
      },
      'org-team-form',
    ),
  )
  $('org-technician-form').addEventListener(
    'submit',
    teamChange(
      function () {
        return '/repair-teams/' + $('org-technician-team').value + '/technicians'
      },
      function () {
        return { name: $('org-technician-name').value.trim(), phone: $('org-technician-phone').value.trim() }
      },
      'org-technician-form',
    ),
  )
  $('org-category-form').addEventListener('submit', addCategory)
  $('intake-form').addEventListener('submit', openIntakeCase)
  $('kb-form').addEventListener('submit', saveKnowledge)
  $('kb-load').addEventListener('click', loadKnowledge)
  $('reply-form').addEventListener('submit', sendReply)
  $('case-form').addEventListener('submit', actOnCase)
  $('assign-form').addEventListener('submit', assignCase)
  $('release').addEventListener('click', release)
  $('conv-state').addEventListener('change', loadConversations)
  $('sign-in').addEventListener('click', signIn)
  $('more').addEventListener('click', function () {
    loadCases(true)
  })
  $('filter-queue').addEventListener('change', function () {
    loadCases(false)
  })
  $('filter-apply').addEventListener('click', function () {
    loadCases(false)
  })
  $('cases-export').addEventListener('click', exportCases)
  $('case-escalate').addEventListener('click', escalateCase)
  $('letter-form').addEventListener('submit', publishLetter)
  $('report-load').addEventListener('click', loadReports)
  if (token) signIn()
})()
