import { CaseEventEntity, ServiceCaseEntity } from './case.entity'
import {
  BuildingEntity,
  ChannelIdentityEntity,
  HouseholdEntity,
  HouseholdUnitEntity,
  OwnerEntity,
  ProjectEntity,
  UnitEntity,
} from './customer-file.entity'
import { AmbassadorAssignmentEntity, AmbassadorEntity } from './staff.entity'

export * from './case.entity'
export * from './customer-file.entity'
export * from './staff.entity'

export const entities = [
  ProjectEntity,
  BuildingEntity,
  UnitEntity,
  HouseholdEntity,
  HouseholdUnitEntity,
  OwnerEntity,
  ChannelIdentityEntity,
  AmbassadorEntity,
  AmbassadorAssignmentEntity,
  ServiceCaseEntity,
  CaseEventEntity,
]
