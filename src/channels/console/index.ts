import type { Readable, Writable } from 'node:stream'
import type { ChannelModule } from '../module'
import { ConsoleChannel } from './console.channel'

/** The terminal chat of the demo: stdin lines are an owner's messages, replies go to stdout. */
export function consoleModule(io: { stdin: Readable; stdout: Writable }, externalId: string) {
  const channel = new ConsoleChannel(io.stdin, io.stdout, externalId)
  return { name: 'console', channels: [channel], channel } satisfies ChannelModule & {
    channel: ConsoleChannel
  }
}
