package dev.pmm.memory;

import dev.pmm.mind.MindContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecallIndexTest {

  private static float[] v(float... values) {
    return values;
  }

  private static List<Long> ids(List<MindContext.Recalled> recalled) {
    return recalled.stream().map(MindContext.Recalled::eventId).toList();
  }

  @Test
  void ranksByCosineMostSimilarFirst() {
    RecallIndex index = new RecallIndex(10);
    index.add(1, "user_message", "east", v(1, 0));
    index.add(2, "assistant_message", "north", v(0, 1));
    index.add(3, "reflection", "north-east", v(1, 1));
    index.add(4, "user_message", "west", v(-1, 0));
    List<MindContext.Recalled> top = index.topK(v(2, 0.5f), 3, Set.of());
    assertEquals(List.of(1L, 3L, 2L), ids(top));
    assertEquals("east", top.get(0).text());
    assertEquals("user_message", top.get(0).kind());
    assertEquals(2 / Math.sqrt(4.25), top.get(0).score(), 1e-6, "cosine, whatever the lengths");
    assertEquals(4, index.topK(v(1, 0), 10, Set.of()).size(), "k larger than the index");
    assertEquals(4L, index.topK(v(1, 0), 10, Set.of()).get(3).eventId(), "the opposite comes last");
  }

  @Test
  void equalScoresPutTheNewerFirst() {
    RecallIndex index = new RecallIndex(10);
    index.add(5, "user_message", "same", v(1, 0));
    index.add(9, "user_message", "same", v(2, 0));
    index.add(7, "user_message", "same", v(3, 0));
    assertEquals(List.of(9L, 7L), ids(index.topK(v(1, 0), 2, Set.of())));
  }

  @Test
  void excludedEventsAreNeverRecalled() {
    RecallIndex index = new RecallIndex(10);
    index.add(1, "user_message", "a", v(1, 0));
    index.add(2, "user_message", "b", v(0.9f, 0.1f));
    index.add(3, "user_message", "c", v(0, 1));
    assertEquals(List.of(2L, 3L), ids(index.topK(v(1, 0), 5, Set.of(1L))));
    assertEquals(List.of(), index.topK(v(1, 0), 5, Set.of(1L, 2L, 3L)));
  }

  @Test
  void theWindowKeepsTheNewestAndDropsTheOldest() {
    RecallIndex index = new RecallIndex(3);
    for (long id = 1; id <= 5; id++) {
      assertTrue(index.add(id, "user_message", "m" + id, v(1, 0)));
    }
    assertEquals(3, index.size());
    assertFalse(index.contains(1));
    assertFalse(index.contains(2));
    assertEquals(List.of(5L, 4L, 3L), ids(index.topK(v(1, 0), 10, Set.of())));
    assertFalse(index.add(2, "user_message", "late and old", v(1, 0)), "older than a full window");
    assertTrue(index.add(6, "user_message", "new", v(1, 0)));
    assertEquals(List.of(6L, 5L, 4L), ids(index.topK(v(1, 0), 10, Set.of())));
    assertEquals(6L, index.newestId());
  }

  @Test
  void zeroVectorsAndOtherDimensionsAreHarmless() {
    RecallIndex index = new RecallIndex(5);
    index.add(1, "user_message", "empty", v(0, 0));
    index.add(2, "user_message", "other model", v(1, 0, 0));
    index.add(3, "user_message", "x", v(1, 0));
    List<MindContext.Recalled> top = index.topK(v(1, 0), 5, Set.of());
    assertEquals(List.of(3L, 1L), ids(top));
    assertEquals(0.0, top.get(1).score());
    assertEquals(List.of(), index.topK(v(1, 0), 0, Set.of()));
  }
}
