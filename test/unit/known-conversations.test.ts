import { KnownConversations, type KnownConversation } from '../../src/bot/known-conversations'

const conversation = (externalId: string, version = '1'): KnownConversation => ({
  id: externalId.length,
  channel: 'wechaty',
  external_id: externalId,
  dialog: null,
  dialog_expires_at: null,
  owner_id: 1,
  owner_name: '张三',
  household_id: 1,
  ambassador_id: null,
  ambassador_name: null,
  ambassador_phone: null,
  ambassador_wecom_user_id: null,
  version,
})

describe('conversations known to this process', () => {
  it('keep at most their capacity, dropping the one unused longest', () => {
    const known = new KnownConversations(2)
    known.remember(conversation('wx-a'))
    known.remember(conversation('wx-b'))
    // Reading wx-a makes wx-b the one unused longest.
    expect(known.get('wechaty', 'wx-a')?.external_id).toBe('wx-a')
    known.remember(conversation('wx-c'))
    expect(known.size).toBe(2)
    expect(known.get('wechaty', 'wx-b')).toBeUndefined()
    expect(known.get('wechaty', 'wx-a')).toBeDefined()
    expect(known.get('wechaty', 'wx-c')).toBeDefined()
  })

  it('replace an entry with its newer version, and forget it on request', () => {
    const known = new KnownConversations(2)
    known.remember(conversation('wx-a', '100'))
    known.remember(conversation('wx-a', '101'))
    expect(known.size).toBe(1)
    expect(known.get('wechaty', 'wx-a')?.version).toBe('101')
    known.forget('wechaty', 'wx-a')
    expect(known.get('wechaty', 'wx-a')).toBeUndefined()
    // Same id on another channel is another conversation.
    known.remember(conversation('wx-a'))
    expect(known.get('wecom-kf', 'wx-a')).toBeUndefined()
  })
})
