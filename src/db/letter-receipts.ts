/**
 * Each recipient's delivery record of a letter follows its message's outcome in the same statement
 * (delivered, held and why, or failed; a read letter stays read), so that the record of who was sent
 * what — which may carry legal weight — never disagrees with what happened. Shaped as the outbox's
 * `OutboxReceipts` (src/bot/outbox.ts), which this layer does not import.
 */
export const letterReceipts = {
  settle: (outboxUpdate: string) => `
    WITH settled AS (${outboxUpdate} RETURNING letter_delivery_id)
    UPDATE letter_delivery d
       SET status = CASE WHEN d.status = 'read' THEN 'read' ELSE $2::text END,
           delivered_at = CASE WHEN $2::text = 'delivered' THEN COALESCE(d.delivered_at, now()) ELSE d.delivered_at END,
           hold_reason = CASE WHEN $2::text = 'delivered' THEN NULL ELSE $3::text END
      FROM settled
     WHERE d.id = settled.letter_delivery_id AND $2::text IS NOT NULL`,
}
