package dev.pmm.transfer;

import java.util.Map;

/**
 * One event of a source ledger as read, with where it was read: {@code index} counts from 0,
 * {@code offset} is the byte offset of the element in a JSON export (-1 for SQLite).
 */
public record SourceRow(long index, long offset, long id, String ts, String kind, String content,
                        String metaText, Map<String, Object> meta, String prevHash, String hash) {

  /** Where this row is, for messages: "element 12 (id 13) at byte offset 4567". */
  public String position() {
    return (offset >= 0 ? "element " + index : "row " + index) + " (id " + id + ")"
        + (offset >= 0 ? " at byte offset " + offset : "");
  }
}
