import { InitialSchema1763800000000 } from './1763800000000-InitialSchema'

/** Listed explicitly so that tsx, jest and compiled builds all load the same migrations in order. */
export const migrations = [InitialSchema1763800000000]
