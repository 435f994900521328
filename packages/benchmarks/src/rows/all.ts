// Every row, in the order of the report (and of each round).
import { GO_ROWS } from './go.js'
import { HANDSHAKE_ROWS } from './handshakes.js'
import { LEGACY_ROWS } from './legacy.js'
import { LIMIT_ROWS } from './limits.js'
import { MESSAGE_ROWS } from './messages.js'
import { ONE_WAY_ROWS } from './one-way.js'
import { STREAMS_ROW, memoryRows } from './scale.js'
import type { Sizes } from '../sizes.js'
import type { Row } from './row.js'

export function allRows (sizes: Sizes): Row[] {
  return [...ONE_WAY_ROWS, ...MESSAGE_ROWS, ...LIMIT_ROWS, ...GO_ROWS, ...LEGACY_ROWS, ...HANDSHAKE_ROWS, ...memoryRows(sizes.connectionCounts), STREAMS_ROW]
}
