import { ownerCopy } from './owner.zh-cn'
import { staffCopy } from './staff.zh-cn'

/** All wording, owners' and staff's; nothing but text and templates lives under src/copy. */
export const copy = { ...ownerCopy, ...staffCopy } as const

export type Copy = typeof copy
