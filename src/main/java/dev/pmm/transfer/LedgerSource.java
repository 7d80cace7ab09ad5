package dev.pmm.transfer;

import dev.pmm.ledger.PyJson;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** A source ledger read row by row, in file order, each row checked for the shape of a ledger event. */
public interface LedgerSource extends AutoCloseable {

  /** The next row, or null at the end. */
  SourceRow next() throws IOException, NotALedger;

  /** "json" or "sqlite". */
  String format();

  @Override
  void close() throws IOException;

  byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  /** Opens {@code file} as the format its first bytes say: SQLite's header, or else a JSON export. */
  static LedgerSource open(Path file) throws IOException, NotALedger {
    byte[] head = new byte[SQLITE_MAGIC.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == head.length && Arrays.equals(head, SQLITE_MAGIC)) {
      return new SqliteSource(file);
    }
    return new JsonExportSource(file);
  }

  /** The checks both formats share; ids must be strictly increasing, from 1 to at most {@link TargetIds#MAX_ID}. */
  @SuppressWarnings("unchecked")
  static SourceRow row(long index, long offset, long previousId, Object id, Object ts, Object kind, Object content,
                       Object meta, Object prevHash, Object hash) throws NotALedger {
    String where = (offset >= 0 ? "element " + index : "row " + index)
        + (id instanceof Long l ? " (id " + l + ")" : "") + (offset >= 0 ? " at byte offset " + offset : "");
    if (id instanceof BigInteger big) {
      if (big.signum() > 0) {
        throw new UnservableSource(where + ": " + TargetIds.pastMaxId(big));
      }
      throw new NotALedger(where + ": id must be at least 1, got " + big);
    }
    if (!(id instanceof Long idValue)) {
      throw new NotALedger(where + ": id must be an integer, got " + describe(id));
    }
    if (idValue < 1) {
      throw new NotALedger(where + ": id must be at least 1, got " + idValue);
    }
    if (idValue > TargetIds.MAX_ID) {
      throw new UnservableSource(where + ": " + TargetIds.pastMaxId(idValue));
    }
    if (idValue <= previousId) {
      throw new NotALedger(where + ": id " + idValue + (idValue == previousId ? " repeats" : " is lower than")
          + " the previous id " + previousId + " (ids must be strictly increasing)");
    }
    requireString(where, "ts", ts, false);
    requireString(where, "kind", kind, false);
    requireString(where, "content", content, false);
    requireString(where, "meta", meta, false);
    requireString(where, "prev_hash", prevHash, true);
    requireString(where, "hash", hash, true);
    if (((String) kind).isEmpty()) {
      throw new NotALedger(where + ": kind is empty");
    }
    Object parsed;
    try {
      parsed = PyJson.parse((String) meta);
    } catch (IllegalArgumentException e) {
      throw new NotALedger(where + ": meta is not JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map)) {
      throw new NotALedger(where + ": meta is not a JSON object, got " + describe(parsed));
    }
    return new SourceRow(index, offset, idValue, (String) ts, (String) kind, (String) content, (String) meta,
        (Map<String, Object>) parsed, (String) prevHash, (String) hash);
  }

  private static void requireString(String where, String field, Object value, boolean nullable) throws NotALedger {
    if (value == null && nullable) {
      return;
    }
    if (!(value instanceof String)) {
      throw new NotALedger(where + ": " + field + " must be a string" + (nullable ? " or null" : "") + ", got " + describe(value));
    }
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof java.util.List) {
      return "an array";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "the number " + value;
    }
    return "a " + value.getClass().getSimpleName();
  }
}
