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

  function fail(error) {
    $('status').textContent = copy.error + error.message
  }

  function signIn() {
    token = $('token').value.trim()
    sessionStorage.setItem('anju-token', token)
    api('/me')
      .then(function (me) {
        $('status').textContent = copy.signedIn(me.name, me.role)
        $('app').hidden = false
        loadCases()
      })
      .catch(fail)
  }

  var cursor = null
  function loadCases(more) {
    var params = new URLSearchParams({ limit: '20' })
    if ($('filter-status').value) params.set('status', $('filter-status').value)
    if ($('filter-sla').value) params.set('sla', $('filter-sla').value)
    if (more && cursor) params.set('cursor', cursor)
    api('/cases?' + params)
      .then(function (page) {
        var body = $('cases-body')
        if (!more) body.textContent = ''
        page.items.forEach(function (c) {
          body.appendChild(
            el('tr', { class: c.slaState === 'breached' ? 'overdue' : '' }, [
              el('td', { text: c.caseNo }),
              el('td', { text: copy.kinds[c.kind] || c.kind }),
              el('td', { text: c.category }),
              el('td', { text: copy.statuses[c.status] || c.status }),
              el('td', { text: c.ownerName || '—' }),
              el('td', { text: c.ambassadorName || '—' }),
              el('td', { text: c.replyDueAt ? new Date(c.replyDueAt).toLocaleString('zh-CN') : '—' }),
              el('td', { text: c.slaState ? copy.sla[c.slaState] : '—' }),
            ]),
          )
        })
        cursor = page.nextCursor
        $('more').hidden = !cursor
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

  $('token').value = token
  $('sign-in').addEventListener('click', signIn)
  $('more').addEventListener('click', function () {
    loadCases(true)
  })
  $('filter-apply').addEventListener('click', function () {
    loadCases(false)
  })
  $('letter-form').addEventListener('submit', publishLetter)
  $('report-load').addEventListener('click', loadReports)
  if (token) signIn()
})()
