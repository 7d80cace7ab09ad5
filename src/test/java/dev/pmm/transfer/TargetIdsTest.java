package dev.pmm.transfer;

import dev.pmm.ledger.PyJson;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TargetIdsTest {

  private static SourceRow row(long index, long id, String metaText) {
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) PyJson.parse(metaText);
    return new SourceRow(index, -1, id, "2025-09-01T00:00:00+00:00", "user_message", "x", metaText, meta, null, null);
  }

  private static SourceRow row(long index, long id) {
    return row(index, id, "{}");
  }

  @Test
  void gaplessIdsFromOneKeepTheirOwn() throws Exception {
    TargetIds ids = new TargetIds(false);
    assertEquals(1, ids.next(row(0, 1)));
    assertEquals(2, ids.next(row(1, 2)));
    assertEquals(3, ids.next(row(2, 3)));
  }

  @Test
  void aGapOrAnotherStartIsRefusedNamingTheFirstBadId() throws Exception {
    TargetIds ids = new TargetIds(false);
    ids.next(row(0, 1));
    ids.next(row(1, 2));
    UnservableSource gap = assertThrows(UnservableSource.class, () -> ids.next(row(2, 10)));
    assertEquals("row 2 (id 10): event ids must run 1, 2, 3, ... without gaps: after id 2 comes id 10;"
        + " use --renumber to number them from 1", gap.getMessage());

    UnservableSource start = assertThrows(UnservableSource.class, () -> new TargetIds(false).next(row(0, 5)));
    assertEquals("row 0 (id 5): event ids must run 1, 2, 3, ... without gaps: the first id is 5;"
        + " use --renumber to number them from 1", start.getMessage());
  }

  @Test
  void renumberingNumbersFromOneInSourceOrder() throws Exception {
    TargetIds ids = new TargetIds(true);
    assertEquals(1, ids.next(row(0, 5)));
    assertEquals(2, ids.next(row(1, 6)));
    assertEquals(3, ids.next(row(2, 40)));
  }

  @Test
  void renumberingRefusesAMetaThatAlreadyHoldsASourceId() throws Exception {
    TargetIds ids = new TargetIds(true);
    ids.next(row(0, 3));
    UnservableSource e = assertThrows(UnservableSource.class, () -> ids.next(row(1, 4, "{\"source_id\": 2}")));
    assertEquals("row 1 (id 4): meta already has a \"source_id\"; --renumber keeps each event's source id there"
        + " and will not overwrite one", e.getMessage());
  }

  @Test
  void moreEventsThanOneImportTakesAreRefusedAtTheFirstOneTooMany() throws Exception {
    for (boolean renumber : new boolean[] {false, true}) {
      TargetIds ids = new TargetIds(renumber, 2);
      ids.next(row(0, 1));
      ids.next(row(1, 2));
      UnservableSource e = assertThrows(UnservableSource.class, () -> ids.next(row(2, 3)));
      assertEquals("row 2 (id 3): more than 2 events, the most one import takes", e.getMessage());
    }
    assertEquals(100_000_000L, TargetIds.MAX_EVENTS);
  }

  @Test
  void theSourceIdGoesFirstInMetaAndTheRestOfTheTextIsKept() {
    assertEquals("{\"source_id\": 7}", TargetIds.metaWithSourceId("{}", 7));
    assertEquals("  {\"source_id\": 7 } ", TargetIds.metaWithSourceId("  { } ", 7));
    assertEquals("{\"source_id\": 7, \"a\": 1.10, \"b\": {\"c\": \"\\u00e9\"}}",
        TargetIds.metaWithSourceId("{\"a\": 1.10, \"b\": {\"c\": \"\\u00e9\"}}", 7));
    assertEquals("{\"source_id\": 7, \n  \"a\": [1, 2]\n}", TargetIds.metaWithSourceId("{\n  \"a\": [1, 2]\n}", 7));

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("source_id", 9007199254740991L);
    expected.put("a", 1L);
    assertEquals(expected, PyJson.parse(TargetIds.metaWithSourceId("{\"a\": 1}", TargetIds.MAX_ID)));
  }

  @Test
  void theLargestIdIsTheLargestIntegerAJsonNumberKeepsExactly() {
    assertEquals(9007199254740991L, TargetIds.MAX_ID);
    // A reader that takes numbers as doubles keeps every id up to it; just past it, ids collide.
    for (long id = TargetIds.MAX_ID - 3; id <= TargetIds.MAX_ID; id++) {
      assertEquals(id, (long) (double) id);
    }
    assertEquals((long) (double) (TargetIds.MAX_ID + 1), (long) (double) (TargetIds.MAX_ID + 2));
  }
}
