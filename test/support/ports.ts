import { readFileSync } from 'node:fs'
import net from 'node:net'

/** The kernel's range for outgoing connections' local ports, which a server port must avoid. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)
    return [Number(low), Number(high)]
  } catch {
    return [32768, 65535]
  }
}

const listenable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

/**
 * A port for a server the test starts (and may restart on the same port): outside the ephemeral range,
 * so no outgoing connection of the many the suite makes can be holding it, and free when chosen.
 */
export async function serverPort(from = 20000, to = 29999): Promise<number> {
  const [low, high] = ephemeralRange()
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = from + Math.floor(Math.random() * (to - from + 1))
    if (port >= low && port <= high) continue
    if (await listenable(port)) return port
  }
  throw new Error(`no free port between ${from} and ${to}`)
}
