import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'
import type { StaffRole } from '../../domain/customer'

/** 客户大使 and the people above them (supervisor, branch head, group centre). */
@Entity('ambassador')
export class AmbassadorEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'text' }) name: string
  @Column({ type: 'text', name: 'wecom_user_id', nullable: true }) wecomUserId: string | null
  @Column({ type: 'text' }) phone: string
  @Column({ type: 'int', name: 'project_id', nullable: true }) projectId: number | null
  @Column({ type: 'text' }) role: StaffRole
  @Column({ type: 'int', name: 'supervisor_id', nullable: true }) supervisorId: number | null
  @Column({ type: 'boolean' }) active: boolean
}

@Entity('ambassador_assignment')
export class AmbassadorAssignmentEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'int', name: 'household_id' }) householdId: number
  @Column({ type: 'int', name: 'ambassador_id' }) ambassadorId: number
  @Column({ type: 'timestamptz', name: 'assigned_at' }) assignedAt: Date
  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true }) endedAt: Date | null
  @Column({ type: 'text' }) reason: string
}
