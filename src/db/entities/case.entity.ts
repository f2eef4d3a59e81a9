import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'
import type { CaseKind, CaseStatus } from '../../domain/case'

@Entity('service_case')
export class ServiceCaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'text', name: 'case_no' }) caseNo: string
  @Column({ type: 'text' }) kind: CaseKind
  @Column({ type: 'text' }) category: string
  @Column({ type: 'text' }) status: CaseStatus
  @Column({ type: 'int', name: 'project_id' }) projectId: number
  @Column({ type: 'int', name: 'household_id', nullable: true }) householdId: number | null
  @Column({ type: 'int', name: 'owner_id', nullable: true }) ownerId: number | null
  @Column({ type: 'int', name: 'unit_id', nullable: true }) unitId: number | null
  @Column({ type: 'boolean', name: 'public_area' }) publicArea: boolean
  @Column({ type: 'int', name: 'ambassador_id', nullable: true }) ambassadorId: number | null
  @Column({ type: 'text', name: 'intake_channel' }) intakeChannel: string
  @Column({ type: 'text' }) description: string
  @Column({ type: 'jsonb' }) attachments: string[]
  @Column({ type: 'jsonb' }) details: Record<string, unknown>
  @Column({ type: 'smallint', name: 'escalation_level' }) escalationLevel: number
  @Column({ type: 'timestamptz', name: 'reply_due_at', nullable: true }) replyDueAt: Date | null
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt: Date
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt: Date | null
}

/** Append-only: the database refuses updates and deletes of these rows. */
@Entity('case_event')
export class CaseEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string
  @Column({ type: 'int', name: 'case_id' }) caseId: number
  @Column({ type: 'timestamptz' }) at: Date
  @Column({ type: 'text' }) actor: string
  @Column({ type: 'text' }) kind: string
  @Column({ type: 'jsonb' }) data: Record<string, unknown>
}
