import { copy } from '../../copy'
import type { BindingDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'
import { mobilePhone, unitAddress } from '../runtime/validators'
import { accept, normalizeInput, reject } from '../runtime/parse'

const consentAnswer = (input: string) => {
  const value = normalizeInput(input)
  if ((copy.bind.agreeWords as readonly string[]).includes(value)) return accept(true)
  if ((copy.bind.declineWords as readonly string[]).includes(value)) return accept(false)
  return reject(copy.bind.agreeOrNot)
}

/** Attempts inside one dialog before it sends the owner to staff. */
const ATTEMPTS = 3

/**
 * 绑定: an unknown WeChat user proves who they are with the registered phone number and their unit.
 * A mismatch never says which part was wrong, nor whose file it would have been. The lock-out is the
 * service's: it counts every check as it happens, so going back and answering again is one more try.
 */
export const bindDialog = defineDialog<BindingDeps>(
  // Soft for understood messages: a question or 人工 instead of a phone number is answered, not refused.
  { id: 'bind', version: 4, soft: 'understood' },
  async (d, { identity, binding }) => {
    if (await d.run('locked', () => binding.lockedOut(identity))) {
      d.say(copy.bind.lockedOut)
      return
    }
    d.say(copy.bind.welcome)
    // PIPL: before the phone number is asked for, the notice is shown and agreed to (once per version).
    const notice = await d.run('notice', () => binding.privacyNotice(identity))
    if (!notice.agreed) {
      const agreed = await d.ask(`${notice.text}\n${copy.bind.consentHint}`, consentAnswer)
      if (!agreed) {
        d.say(copy.bind.consentDeclined)
        return
      }
      await d.run('consent', () => binding.consent(identity, notice.version))
    }
    const projects = await d.run('projects', () => binding.projects())
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const phone = await d.ask(copy.bind.askPhone, mobilePhone(copy.bind.badPhone))
      const project =
        projects.length === 1 ? projects[0] : await d.choose(copy.bind.pickProject, projects, (p) => p.name)
      const address = await d.ask(copy.bind.askUnit, unitAddress(copy.bind.badUnit))
      const result = await d.run(`bind-${attempt}`, () =>
        binding.bind(identity, { phone, projectId: project.projectId, address }),
      )
      if (result.ok) {
        // The pipeline follows a successful binding with the owner's main menu.
        d.say(copy.bind.bound(result.ownerName))
        return
      }
      if (result.locked) {
        d.say(copy.bind.lockedOut)
        return
      }
      if (attempt < ATTEMPTS) d.say(copy.bind.mismatch(Math.min(ATTEMPTS - attempt, result.triesLeft)))
    }
    d.say(copy.bind.tooManyMismatches)
  },
)
