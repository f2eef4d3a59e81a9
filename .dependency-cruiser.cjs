/**
 * The layers of src/ (docs/architecture.md), checked on every `npm test`:
 *   domain   — pure rules, imports nothing of ours but domain
 *   copy     — owners' and staff's wording, imports nothing
 *   dialogs  — conversations; import domain and their own ports, never infrastructure
 *   understanding — reads owners' free text (segmentation, classifier, categories); no I/O
 *   db       — data source, SQL helpers, one query module per area; no use cases
 *   services — use cases by area; import domain, db, the dialog ports they implement, the outbox
 *   adapters — admin (HTTP), bot (pipeline, outbox, the channel port), channels (one module each), jobs
 * and no import cycles anywhere, type-only imports included.
 */
const LAYER_RULES = [
  {
    name: 'domain-is-pure',
    comment: 'src/domain holds rules without I/O: it imports only itself',
    severity: 'error',
    from: { path: '^src/domain/' },
    to: { path: '^src/', pathNot: '^src/domain/' },
  },
  {
    name: 'copy-is-text',
    comment: 'src/copy holds wording and templates only',
    severity: 'error',
    from: { path: '^src/copy/' },
    to: { path: '^src/', pathNot: '^src/copy/' },
  },
  {
    name: 'dialogs-use-ports',
    comment: 'dialogs read like the conversation; effects go through their ports, not infrastructure',
    severity: 'error',
    from: { path: '^src/dialogs/' },
    to: { path: '^src/(db|services|bot|admin|jobs)/' },
  },
  {
    name: 'understanding-reads-text-only',
    comment: 'src/understanding reads owners’ words offline: domain rules and the dialog ports, no storage',
    severity: 'error',
    from: { path: '^src/understanding/' },
    to: { path: '^src/', pathNot: '^src/(understanding|domain)/|^src/dialogs/ports\\.ts$' },
  },
  {
    name: 'db-has-no-use-cases',
    comment: 'src/db is storage: it must not call services or adapters',
    severity: 'error',
    from: { path: '^src/db/' },
    to: { path: '^src/(services|bot|admin|jobs)/' },
  },
  {
    name: 'services-below-adapters',
    comment: 'services are called by adapters, never the other way round (the outbox is theirs to write)',
    severity: 'error',
    from: { path: '^src/services/' },
    to: { path: '^src/(admin|jobs|channels)/|^src/bot/(?!outbox\\.ts$|channel\\.ts$)' },
  },
  {
    name: 'pipeline-knows-no-channel',
    comment: 'the pipeline and the outbox serve any channel through the port in src/bot/channel.ts',
    severity: 'error',
    from: { path: '^src/bot/' },
    to: { path: '^src/channels/' },
  },
  {
    name: 'no-infrastructure-in-domain',
    comment: 'no database, web framework, chat SDK or scheduler in domain or dialogs',
    severity: 'error',
    from: { path: '^src/(domain|dialogs)/' },
    to: { dependencyTypes: ['npm'], path: 'node_modules/(typeorm|pg|koa|@koa|wechaty|node-cron|@wecom)' },
  },
]

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle makes load order and ownership unclear',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...LAYER_RULES,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist|data)/' },
  },
}
