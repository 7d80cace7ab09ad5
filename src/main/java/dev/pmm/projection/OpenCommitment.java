package dev.pmm.projection;

import java.util.Map;

/**
 * One open commitment as the fold sees it.
 *
 * @param cid          the commitment id as first written (any hashable JSON value: "5" and 5 differ)
 * @param text         {@code meta.text} of the open event; any non-null JSON value, not always a string
 * @param openedAt     id of the commitment_open event that (last) opened it
 * @param openedTick   number of autonomy_tick events before that open, for showing its age in ticks
 * @param snoozedUntil {@code until_tick} of the last commitment_snooze since that open, else null
 * @param meta         the open event's whole meta, shared with the event and never mutated
 */
public record OpenCommitment(Object cid, Object text, long openedAt, long openedTick,
                             Long snoozedUntil, Map<String, Object> meta) {

  OpenCommitment withSnoozedUntil(long tick) {
    return new OpenCommitment(cid, text, openedAt, openedTick, tick, meta);
  }
}
