import { XMLBuilder, XMLParser } from 'fast-xml-parser'

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
})
const builder = new XMLBuilder({ cdataPropName: '__cdata' })

/** Flat WeCom XML (`<xml><Tag>value</Tag>…</xml>`) → record of strings; null when it is not that shape. */
export function parseWeComXml(body: string): Record<string, unknown> | null {
  try {
    const parsed = parser.parse(body, true) as { xml?: unknown }
    return parsed.xml && typeof parsed.xml === 'object' ? (parsed.xml as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** Record of strings → WeCom XML with CDATA text (what WeCom itself sends). */
export function buildWeComXml(fields: Record<string, string | number>): string {
  const xml: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    xml[key] = typeof value === 'number' ? value : { __cdata: value }
  }
  return builder.build({ xml }) as string
}
