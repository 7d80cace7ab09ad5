package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClosureParserTest {

  private static final List<MindContext.Commitment> OPEN = List.of(
      new MindContext.Commitment("paris", "summarise our talk about Paris", 1),
      new MindContext.Commitment("bank", "call the bank", 2),
      new MindContext.Commitment("notes", "review the notes from Monday", 3),
      new MindContext.Commitment("report", "finish the quarterly report", 4),
      new MindContext.Commitment("short", "summarise Paris", 5),
      new MindContext.Commitment("long", "summarise Paris notes", 6));

  /** Expected cids are separated by spaces; "-" means none. */
  @ParameterizedTest(name = "[{index}] {0} → {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Done: summarise our talk about Paris.                             | paris
      done: summarise our talk about paris                              | paris
      DONE: SUMMARISE OUR TALK ABOUT PARIS!                             | paris
      Yes. Done: summarise our talk about Paris.                        | paris
      Done: I summarised our talk about Paris for you.                  | paris
      Done: the summary of our Paris talk.                              | paris
      Done: call the bank. Done: review the notes from Monday.          | bank notes
      Done: call the bank.                                              | bank
      Done: called the bank                                             | bank
      - Done: call the bank                                             | bank
      Done: the quarterly report.                                       | report
      Done: summarise Paris notes.                                      | long
      Done: summarise Paris.                                            | short
      I have finished the quarterly report.                             | report
      I've completed the review of the notes from Monday.               | notes
      I have just finished summarising our talk about Paris.            | paris
      I have done the Monday notes review.                              | notes
      Good news, I have finished the quarterly report.                  | report
      Done: water the plants.                                           | -
      Done: nothing.                                                    | -
      Done:                                                             | -
      Done: the bank holiday plans.                                     | -
      Not done: call the bank.                                          | -
      Is it done: call the bank?                                        | -
      Done: call the bank?                                              | -
      I have not finished the quarterly report.                         | -
      I haven't finished the quarterly report.                          | -
      Have I finished the quarterly report?                             | -
      I will finish the quarterly report.                               | -
      You said I have finished the quarterly report.                    | -
      It is done: the bank was called.                                  | -
      Tell me about Paris.                                              | -
      """)
  void closes(String text, String expected) {
    List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(" "));
    assertEquals(want, ClosureParser.closes(text, OPEN));
  }

  @Test
  void aCommitmentIsClosedOnceEvenWhenNamedTwice() {
    assertEquals(List.of("bank"), ClosureParser.closes("Done: call the bank. Done: call the bank.", OPEN));
  }

  @Test
  void nothingOpenClosesNothing() {
    assertEquals(List.of(), ClosureParser.closes("Done: call the bank.", List.of()));
    assertEquals(List.of(), ClosureParser.closes("Done: call the bank.", null));
  }

  @Test
  void overlapIsTheShareOfTheCommitmentsContentWords() {
    // Content words of "review the notes from Monday": review, notes, monday.
    assertEquals(1.0, ClosureParser.overlap("the Monday notes review", "review the notes from Monday"), 1e-9);
    assertEquals(2 / 3.0, ClosureParser.overlap("the notes of Monday", "review the notes from Monday"), 1e-9);
    assertEquals(1 / 3.0, ClosureParser.overlap("the notes", "review the notes from Monday"), 1e-9);
    assertTrue(ClosureParser.overlap("the notes", "review the notes from Monday") < ClosureParser.OVERLAP_THRESHOLD);
    assertEquals(0.0, ClosureParser.overlap("anything", "do it"), 1e-9);
  }
}
