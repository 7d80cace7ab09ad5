package dev.pmm.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * How a ledger version chains its events: lowercase hex SHA-256 over the UTF-8 canonical JSON
 * ({@link PyJson#canonical}) of a payload object. The two Python versions hash different fields.
 */
public enum HashRule {
  /** 2025 PMM: payload {id, ts, kind, content, meta, prev_hash}. */
  PMM_2025("pmm-2025", true),
  /** PMM v1: payload {kind, content, meta, prev_hash}; id and ts are not covered. */
  PMM_V1("pmm-v1", false);

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final String ruleName;
  private final boolean coversIdAndTs;

  HashRule(String ruleName, boolean coversIdAndTs) {
    this.ruleName = ruleName;
    this.coversIdAndTs = coversIdAndTs;
  }

  /** The name used in ledger metadata and reports, e.g. "pmm-2025". */
  public String ruleName() {
    return ruleName;
  }

  public static HashRule fromName(String name) {
    for (HashRule rule : values()) {
      if (rule.ruleName.equals(name)) {
        return rule;
      }
    }
    throw new IllegalArgumentException("unknown hash rule '" + name + "' (known: pmm-2025, pmm-v1)");
  }

  /** The stored hash of the event with these fields; a null meta hashes as {}, as Python's does. */
  public String hash(long id, String ts, String kind, String content, Map<String, Object> meta,
                     String prevHash) {
    return sha256Hex(payload(id, ts, kind, content, meta, prevHash));
  }

  public String hash(Event e) {
    return hash(e.id(), e.ts(), e.kind(), e.content(), e.meta(), e.prevHash());
  }

  /**
   * The canonical payload text. Written field by field instead of via a sorted map: the top-level
   * keys are fixed, so their sorted order is too (content, id, kind, meta, prev_hash, ts).
   */
  String payload(long id, String ts, String kind, String content, Map<String, Object> meta,
                 String prevHash) {
    // Room for the usual event, so that the builder seldom grows: the keys, two hashes and ts take
    // about 200 characters besides content, and meta is usually short.
    StringBuilder out = new StringBuilder(256 + (content == null ? 0 : content.length()));
    out.append("{\"content\":");
    writeNullable(content, out);
    if (coversIdAndTs) {
      out.append(",\"id\":").append(id);
    }
    out.append(",\"kind\":");
    writeNullable(kind, out);
    out.append(",\"meta\":");
    if (meta == null) {
      out.append("{}");
    } else {
      PyJson.canonical(meta, out);
    }
    out.append(",\"prev_hash\":");
    writeNullable(prevHash, out);
    if (coversIdAndTs) {
      out.append(",\"ts\":");
      writeNullable(ts, out);
    }
    return out.append('}').toString();
  }

  private static void writeNullable(String s, StringBuilder out) {
    if (s == null) {
      out.append("null");
    } else {
      PyJson.writeString(s, out);
    }
  }

  private static String sha256Hex(String canonical) {
    MessageDigest sha = SHA256.get();
    // Canonical text is pure ASCII (ensure_ascii), so this encoding is a plain byte copy.
    return hex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  /** Lowercase hex, as HexFormat.of().formatHex writes it, without its general-purpose overhead (5% of verify). */
  private static String hex(byte[] bytes) {
    byte[] out = new byte[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
    }
    return new String(out, StandardCharsets.US_ASCII);
  }
}
