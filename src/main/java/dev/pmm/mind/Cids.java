package dev.pmm.mind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Commitment ids derived from the text, so the same commitment parsed twice gets the same cid
 * (the original used random uuid4s).
 */
public final class Cids {
  private Cids() {}

  /** The first 32 hex characters of SHA-256 over the normalised text (lower-case, whitespace collapsed). */
  public static String of(String commitmentText) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(CommitmentParser.normalise(commitmentText).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
