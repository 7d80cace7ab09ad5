package dev.pmm.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a chain in id order, recomputing every hash and link, and keeps every break it finds
 * (the original's verify_chain stopped at the first and said only "false").
 */
public final class ChainVerifier {

  public record Break(long id, String reason, String detail) {
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("id", id);
      map.put("reason", reason);
      map.put("detail", detail);
      return map;
    }
  }

  /** Reports list at most this many breaks; the count keeps going. */
  public static final int MAX_LISTED_BREAKS = 10_000;

  private final HashRule rule;
  private final List<Break> breaks = new ArrayList<>();
  private long breakCount;
  /** Read by progress reports while a worker verifies. */
  private volatile long events;
  private long previousId;
  private String previousHash;

  public ChainVerifier(HashRule rule) {
    this.rule = rule;
  }

  /** A verifier for the events after {@code id}, taking that event's stored {@code hash} as given. */
  public static ChainVerifier after(HashRule rule, long id, String hash) {
    ChainVerifier verifier = new ChainVerifier(rule);
    verifier.previousId = id;
    verifier.previousHash = hash;
    return verifier;
  }

  /** Feeds one stored row; {@code metaText} is the stored meta column, parsed here as Python would. */
  public void accept(long id, String ts, String kind, String content, String metaText, String prevHash, String hash) {
    Map<String, Object> meta = parseMeta(id, metaText);
    accept(id, ts, kind, content, meta, prevHash, hash);
  }

  public void accept(long id, String ts, String kind, String content, Map<String, Object> meta, String prevHash, String hash) {
    if (id != previousId + 1) {
      report(id, "id_gap", "expected id " + (previousId + 1));
    }
    if (previousId == 0 && events == 0) {
      if (prevHash != null) {
        report(id, "prev_hash_mismatch", "the first event must have prev_hash null");
      }
    } else if (prevHash == null || !prevHash.equals(previousHash)) {
      report(id, "prev_hash_mismatch", "prev_hash does not equal the hash of event " + previousId);
    }
    String expected = rule.hash(id, ts, kind, content, meta, prevHash);
    if (!expected.equals(hash)) {
      report(id, "hash_mismatch", "stored hash does not match the recomputed " + expected);
    }
    events++;
    previousId = id;
    previousHash = hash;
  }

  void acceptAll(List<RowReader.StoredRow> rows) {
    for (RowReader.StoredRow r : rows) {
      accept(r.id(), r.ts(), r.kind(), r.content(), r.metaText(), r.prevHash(), r.hash());
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> parseMeta(long id, String metaText) {
    if (metaText == null || metaText.isEmpty()) {
      return Map.of();
    }
    try {
      Object parsed = PyJson.parse(metaText);
      if (parsed instanceof Map) {
        return (Map<String, Object>) parsed;
      }
      report(id, "meta_invalid", "meta is not a JSON object");
    } catch (IllegalArgumentException e) {
      report(id, "meta_invalid", "meta is not JSON: " + e.getMessage());
    }
    // As the original: unreadable meta hashes as {}.
    return Map.of();
  }

  private void report(long id, String reason, String detail) {
    breakCount++;
    if (breaks.size() < MAX_LISTED_BREAKS) {
      breaks.add(new Break(id, reason, detail));
    }
  }

  public long events() {
    return events;
  }

  /** The hash of the last event seen (null before the first). */
  public String lastHash() {
    return previousHash;
  }

  public boolean ok() {
    return breakCount == 0;
  }

  public List<Break> breaks() {
    return List.copyOf(breaks);
  }

  /** The verify report of ARCHITECTURE.md: {ok, events, hash_rule, breaks, break_count}. */
  public Map<String, Object> report() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("ok", ok());
    report.put("events", events);
    report.put("hash_rule", rule.ruleName());
    List<Object> listed = new ArrayList<>();
    for (Break b : breaks) {
      listed.add(b.toMap());
    }
    report.put("breaks", listed);
    report.put("break_count", breakCount);
    return report;
  }
}
