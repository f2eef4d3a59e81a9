import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm'
import type { CustomerClass, OwnerStage } from '../../domain/customer'

/** 楼盘 */
@Entity('project')
export class ProjectEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'text' }) code: string
  @Column({ type: 'text' }) name: string
  @Column({ type: 'text' }) city: string
  @Column({ type: 'text' }) branch: string
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date
}

/** 楼栋 */
@Entity('building')
export class BuildingEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'int', name: 'project_id' }) projectId: number
  @Column({ type: 'text' }) name: string
  @ManyToOne(() => ProjectEntity) @JoinColumn({ name: 'project_id' }) project?: ProjectEntity
}

/** 房号 */
@Entity('unit')
export class UnitEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'int', name: 'building_id' }) buildingId: number
  @Column({ type: 'text', name: 'room_no' }) roomNo: string
  @Column({ type: 'date', name: 'delivered_on', nullable: true }) deliveredOn: string | null
  @ManyToOne(() => BuildingEntity) @JoinColumn({ name: 'building_id' }) building?: BuildingEntity
}

/** 一户一档: one file per household. */
@Entity('household')
export class HouseholdEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'text' }) code: string
  @Column({ type: 'text' }) stage: OwnerStage
  @Column({ type: 'text', name: 'customer_class' }) customerClass: CustomerClass
  @Column({ type: 'date', name: 'purchased_on', nullable: true }) purchasedOn: string | null
  @Column({ type: 'jsonb' }) profile: Record<string, unknown>
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date
}

@Entity('household_unit')
export class HouseholdUnitEntity {
  @PrimaryColumn({ type: 'int', name: 'household_id' }) householdId: number
  @PrimaryColumn({ type: 'int', name: 'unit_id' }) unitId: number
}

/** A person of a household (本人, 配偶, 子女 …). */
@Entity('owner')
export class OwnerEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'int', name: 'household_id' }) householdId: number
  @Column({ type: 'text' }) name: string
  @Column({ type: 'text' }) phone: string
  @Column({ type: 'text' }) relation: string
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date
}

/** A WeChat / WeCom / console identity bound to an owner. */
@Entity('channel_identity')
export class ChannelIdentityEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id: number
  @Column({ type: 'text' }) channel: string
  @Column({ type: 'text', name: 'external_id' }) externalId: string
  @Column({ type: 'int', name: 'owner_id' }) ownerId: number
  @Column({ type: 'timestamptz', name: 'bound_at', insert: false, update: false }) boundAt: Date
}
