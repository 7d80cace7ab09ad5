package dev.pmm.memory;

/**
 * Turns text into a vector for recall by cosine. Implementations may block (model inference):
 * call them on a worker thread, never on an event loop.
 */
public interface Embedder {

  /** The vector of a text; the caller must not change it (it may be cached and shared). */
  float[] embed(String text);

  int dimensions();

  /**
   * Names the vector space: stored vectors are keyed by it, so that switching embedders re-embeds
   * instead of comparing vectors from two different spaces. At most 64 characters.
   */
  String modelId();
}
