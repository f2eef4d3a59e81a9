import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The knowledge base staff maintain (常见问题): entries group-wide (project_id NULL) or for one project,
 * for some owner stages or all, valid between two dates; retired rather than deleted so that the log
 * of questions keeps its answers. Every question owners ask is logged with what the bot did and whether
 * the owner said it helped: the report ranks what went unanswered, which is what staff should add next.
 */
export class KnowledgeBase1765500000000 implements MigrationInterface {
  name = 'KnowledgeBase1765500000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE knowledge_entry (
        id serial PRIMARY KEY,
        project_id int REFERENCES project(id),
        question text NOT NULL CHECK (length(question) BETWEEN 1 AND 200),
        paraphrases text[] NOT NULL DEFAULT '{}',
        answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 2000),
        tags text[] NOT NULL DEFAULT '{}',
        stages text[] NOT NULL DEFAULT '{}'
          CHECK (stages <@ ARRAY['准业主', '磨合期', '稳定期', '老业主']::text[]),
        valid_from date,
        valid_to date,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        retired_at timestamptz,
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
      );
      CREATE INDEX knowledge_entry_project ON knowledge_entry (project_id) WHERE retired_at IS NULL;
      CREATE TABLE knowledge_query (
        id bigserial PRIMARY KEY,
        asked_at timestamptz NOT NULL,
        conversation_id int REFERENCES conversation(id),
        project_id int REFERENCES project(id),
        text text NOT NULL,
        normalized text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('answered', 'suggested', 'unanswered')),
        entry_id int REFERENCES knowledge_entry(id),
        solved boolean
      );
      CREATE INDEX knowledge_query_asked ON knowledge_query (asked_at)`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE knowledge_query; DROP TABLE knowledge_entry`)
  }
}
