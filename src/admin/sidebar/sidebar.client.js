/* The ambassador's sidebar (客户联系侧边栏) inside WeCom: who is this owner, what is open for them.
 * Plain browser script. The WeCom-only calls sit behind one small bridge (window.anjuWeCom), which the
 * tests replace; in WeCom it is @wecom/jssdk's `ww`. */
;(function () {
  'use strict'
  var copy = window.ANJU_COPY
  var root = document.getElementById('app')

  function wecomBridge() {
    var ww = window.ww
    return {
      register: function (options) {
        ww.register(options)
      },
      getCurExternalContact: function () {
        return ww.getCurExternalContact()
      },
      sendChatMessage: function (text) {
        return ww.sendChatMessage({ msgtype: 'text', text: { content: text } })
      },
    }
  }

  var bridge = null

  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  function show(message, className) {
    root.textContent = ''
    root.appendChild(el('p', className || 'note', message))
  }

  function section(title, items, render, empty) {
    var box = el('section')
    box.appendChild(el('h2', null, title))
    if (items.length === 0) box.appendChild(el('p', 'note', empty))
    var list = el('ul')
    items.forEach(function (item) {
      list.appendChild(render(item))
    })
    box.appendChild(list)
    return box
  }

  function render(file) {
    root.textContent = ''
    var head = el('header')
    head.appendChild(el('h1', 'owner', file.owner.name))
    head.appendChild(
      el('p', 'meta', file.owner.relation + ' · ' + file.owner.phone + ' · ' + file.household.stage),
    )
    root.appendChild(head)
    root.appendChild(
      section(
        copy.units,
        file.units,
        function (u) {
          return el(
            'li',
            'unit',
            u.label + (u.deliveredOn ? ' · ' + copy.delivered + ' ' + u.deliveredOn : ''),
          )
        },
        copy.none,
      ),
    )
    root.appendChild(
      section(
        copy.openCases,
        file.openCases,
        function (c) {
          var li = el('li', 'case' + (c.overdue ? ' overdue' : ''))
          li.appendChild(el('strong', null, c.caseNo))
          li.appendChild(el('span', null, ' ' + c.kind + '·' + c.category + ' · ' + c.status))
          if (c.dueAt) li.appendChild(el('span', 'due', ' · ' + copy.due + ' ' + c.dueAt))
          ;(c.media || []).forEach(function (m) {
            if (!m.thumbnailUrl) return
            var link = el('a', 'photo')
            link.href = m.url
            link.target = '_blank'
            var img = el('img', 'thumb')
            img.src = m.thumbnailUrl
            img.alt = ''
            link.appendChild(img)
            li.appendChild(link)
          })
          return li
        },
        copy.noOpenCases,
      ),
    )
    root.appendChild(
      section(
        copy.replies,
        file.replies || [],
        function (r) {
          var li = el('li', 'reply')
          li.appendChild(el('strong', null, r.title))
          li.appendChild(el('p', 'reply-text', r.text))
          var send = el('button', null, copy.send)
          send.addEventListener('click', function () {
            bridge.sendChatMessage(r.text).then(
              function () {
                send.textContent = copy.sent
              },
              function () {
                send.textContent = copy.sendFailed
              },
            )
          })
          li.appendChild(send)
          return li
        },
        copy.noReplies,
      ),
    )
    root.appendChild(
      section(
        copy.surveys,
        file.surveys,
        function (s) {
          return el(
            'li',
            'survey',
            s.caseNo + ' · ' + s.score + '/5 ' + s.label + (s.comment ? ' · ' + s.comment : ''),
          )
        },
        copy.noSurveys,
      ),
    )
  }

  async function main() {
    bridge = window.anjuWeCom || wecomBridge()
    var pageUrl = location.href.split('#')[0]
    var config = await (await fetch('/api/sidebar/jssdk-config?url=' + encodeURIComponent(pageUrl))).json()
    bridge.register({
      corpId: config.corpId,
      agentId: config.agentId,
      jsApiList: ['getCurExternalContact', 'sendChatMessage'],
      getConfigSignature: function () {
        return config.config
      },
      getAgentConfigSignature: function () {
        return config.agentConfig
      },
    })
    var contact = await bridge.getCurExternalContact()
    var response = await fetch('/api/sidebar/owner?externalUserId=' + encodeURIComponent(contact.userId))
    if (response.status === 404) return show(copy.notOwner)
    if (response.status === 403) return show(copy.notYours, 'error')
    if (!response.ok) return show(copy.failed, 'error')
    render(await response.json())
  }

  main().catch(function () {
    show(copy.failed, 'error')
  })
})()
