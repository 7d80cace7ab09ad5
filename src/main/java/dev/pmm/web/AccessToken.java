package dev.pmm.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The configured token. Candidates are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * so the time a comparison takes tells nothing about how much of the token was right, nor its length.
 */
final class AccessToken {

  private final byte[] digest;

  /** @param configured the token, or null or blank for none */
  AccessToken(String configured) {
    this.digest = configured == null || configured.isBlank() ? null : sha256(configured);
  }

  boolean required() {
    return digest != null;
  }

  /** The token from {@code Authorization: Bearer <token>} or from {@code ?token=}. */
  boolean accepts(String authorizationHeader, String queryToken) {
    if (digest == null) {
      return true;
    }
    byte[] header = bearer(authorizationHeader);
    boolean byHeader = header != null && MessageDigest.isEqual(digest, sha256(header));
    boolean byQuery = queryToken != null && MessageDigest.isEqual(digest, sha256(queryToken));
    return byHeader | byQuery;
  }

  /**
   * Whoever presented the token, for limits that hold across all of a client's connections: a short
   * digest of it (so the limits' keys hold no secret); null when tokens are not in use.
   */
  String holder() {
    return digest == null ? null : "token:" + HexFormat.of().formatHex(digest, 0, 8);
  }

  private static byte[] bearer(String authorizationHeader) {
    return authorizationHeader != null && authorizationHeader.startsWith("Bearer ")
        ? authorizationHeader.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8) : null;
  }

  private static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
