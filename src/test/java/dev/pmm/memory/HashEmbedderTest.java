package dev.pmm.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashEmbedderTest {

  private final HashEmbedder embedder = new HashEmbedder();

  @Test
  void deterministicAndCaseBlind() {
    assertArrayEquals(embedder.embed("My dog Rex runs"), new HashEmbedder().embed("my DOG rex, runs!"));
    assertEquals(64, embedder.dimensions());
    assertEquals(64, embedder.embed("x").length);
    assertEquals("hash-64", embedder.modelId());
  }

  @Test
  void fixedAcrossMachines() {
    // FNV-1a's published test vectors: the buckets never depend on the JVM.
    assertEquals(0xe40c292c, HashEmbedder.fnv1a("a"));
    assertEquals(0xbf9cf968, HashEmbedder.fnv1a("foobar"));
  }

  @Test
  void unitLengthOrZero() {
    assertEquals(1.0, Vectors.norm(embedder.embed("the quick brown fox jumps over the lazy dog")), 1e-6);
    assertEquals(0.0, Vectors.norm(embedder.embed("  ,.!  ")));
  }

  @Test
  void sharedWordsAreCloserThanUnrelatedText() {
    float[] dog = embedder.embed("my dog loves running on the beach");
    float[] dogToo = embedder.embed("the dog was running on the beach today");
    float[] tax = embedder.embed("quarterly tax filing deadline reminder");
    assertTrue(Vectors.cosine(dog, dogToo) > Vectors.cosine(dog, tax) + 0.2,
        Vectors.cosine(dog, dogToo) + " vs " + Vectors.cosine(dog, tax));
  }

  @Test
  void vectorsSurviveTheirStorageForm() {
    float[] v = embedder.embed("round trip");
    assertArrayEquals(v, Vectors.fromBase64(Vectors.toBase64(v)));
    assertEquals(64 * 4, Vectors.toBytes(v).length);
  }
}
