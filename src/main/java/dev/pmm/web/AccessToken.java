package dev.pmm.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
    boolean header = authorizationHeader != null && authorizationHeader.startsWith("Bearer ")
        && MessageDigest.isEqual(digest, sha256(authorizationHeader.substring("Bearer ".length())));
    boolean query = queryToken != null && MessageDigest.isEqual(digest, sha256(queryToken));
    return header | query;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
