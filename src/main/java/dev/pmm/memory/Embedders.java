package dev.pmm.memory;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Builds the embedder that {@code memory.embedder} names. */
public final class Embedders {
  private Embedders() {}

  private static final Logger LOG = Logger.getLogger(Embedders.class.getName());

  public static final String MINILM = "minilm";
  public static final String HASH = "hash";

  /**
   * The embedder in use, and why it is not the one asked for when MiniLM could not load.
   *
   * @param fallbackReason null unless the hash embedder stands in for MiniLM
   */
  public record Choice(Embedder embedder, String requested, String fallbackReason) {
    public boolean fallback() {
      return fallbackReason != null;
    }
  }

  /**
   * Blocking (MiniLM loads its model here): call it on a worker thread.
   *
   * @throws IllegalArgumentException for a name that is neither "minilm" nor "hash"
   */
  public static Choice create(String name) {
    String requested = name == null ? MINILM : name.trim().toLowerCase(Locale.ROOT);
    switch (requested) {
      case HASH:
        return new Choice(new HashEmbedder(), requested, null);
      case MINILM:
        try {
          return new Choice(new MiniLmEmbedder().load(), requested, null);
        } catch (RuntimeException | LinkageError e) {
          // A missing native library or an unsupported platform must not take the mind down:
          // recall gets worse (word overlap instead of meaning), the rest is unchanged.
          String reason = "MiniLM could not load (" + e + "); using the hash embedder";
          LOG.log(Level.WARNING, reason, e);
          return new Choice(new HashEmbedder(), requested, reason);
        }
      default:
        throw new IllegalArgumentException("memory.embedder must be \"" + MINILM + "\" or \"" + HASH + "\", got \"" + name + "\"");
    }
  }
}
