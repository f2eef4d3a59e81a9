import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * What owners send, kept: each picture, voice note, video or file becomes a media_file row in the same
 * transaction as its message, then is fetched from the channel (a 微信客服 media_id lives three days)
 * and stored in the configured object store. A fetch is leased, not held in a transaction, so a crash
 * mid-download loses nothing: the lease runs out and another attempt follows, with back-off.
 * app_secret holds keys every instance must share (the media links' signing key), made on first use.
 */
export class MediaFiles1765600000000 implements MigrationInterface {
  name = 'MediaFiles1765600000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media_file (
        id bigserial PRIMARY KEY,
        channel text NOT NULL,
        source_ref text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('image', 'voice', 'video', 'file')),
        conversation_id int REFERENCES conversation(id),
        inbound_message_id bigint REFERENCES inbound_message(id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed', 'rejected', 'deleted')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        storage_key text,
        thumbnail_key text,
        content_type text,
        size_bytes int,
        sha256 text,
        error text,
        created_at timestamptz NOT NULL,
        stored_at timestamptz,
        UNIQUE (channel, source_ref)
      );
      CREATE INDEX media_file_due ON media_file (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX media_file_message ON media_file (inbound_message_id);
      CREATE TABLE app_secret (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media_file; DROP TABLE app_secret`)
  }
}
