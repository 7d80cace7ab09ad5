package dev.pmm.ledger;

import java.util.Map;

/**
 * One ledger event as stored. {@code meta} holds plain JSON values as {@link PyJson#parse} returns
 * them (LinkedHashMap, List, String, Long/BigInteger, Double, Boolean, null) and is never mutated:
 * events are shared between caches.
 */
public record Event(long id, String ts, String kind, String content, Map<String, Object> meta,
                    String prevHash, String hash) {

  /** An event as a fold sees it; id, kind, content and meta are all a fold reads. */
  public static Event of(long id, String kind, String content, Map<String, Object> meta) {
    return new Event(id, null, kind, content, meta, null, null);
  }
}
