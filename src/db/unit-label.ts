/** How a unit is named to people: "翠湖花园 3栋 1201" (project p, building b, unit u). */
export const UNIT_LABEL_SQL = `p.name || ' ' || b.name || ' ' || u.room_no`
