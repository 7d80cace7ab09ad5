package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitmentParserTest {

  /** Expected commitments are separated by " ## "; "-" means none. */
  @ParameterizedTest(name = "[{index}] {0} → {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      I will summarise our talk about Paris.                         | summarise our talk about Paris
      I'll summarise our talk about Paris.                           | summarise our talk about Paris
      I’ll summarise our talk about Paris.                           | summarise our talk about Paris
      i will write the report                                        | write the report
      I shall write the report.                                      | write the report
      I commit to writing the report by Friday.                      | writing the report by Friday
      Next, I will review the notes.                                 | review the notes
      Next I will review the notes.                                  | review the notes
      Sure, I'll send the list.                                      | send the list
      Okay, I will check the numbers.                                | check the numbers
      That is a good idea; I will draft it tonight.                  | draft it tonight
      Thanks for the notes. I will read them tomorrow!               | read them tomorrow
      I will also check the logs.                                    | check the logs
      I will now check the logs.                                     | check the logs
      I will review the notes, and then I'll write a summary.        | review the notes ## write a summary
      I will review the notes and I will write a summary.            | review the notes ## write a summary
      - I will tidy the desk                                         | tidy the desk
      1. I will tidy the desk.                                       | tidy the desk
      I will read chapter 3.2 tonight.                               | read chapter 3.2 tonight
      I will summarise it. I will summarise it.                      | summarise it
      If you like, I will summarise it.                              | summarise it
      I will call you back tomorrow.                                 | call you back tomorrow
      I will try to finish the report.                               | try to finish the report
      Hi will you come?                                              | -
      I will not summarise anything.                                 | -
      I will never forget it.                                        | -
      I'll never do that.                                            | -
      I will definitely not do that.                                 | -
      I won't do that.                                               | -
      Will I summarise it?                                           | -
      I will summarise it, okay?                                     | -
      Shall I summarise it?                                          | -
      I will be happy to help.                                       | -
      I'll be here.                                                  | -
      I will be honest with you.                                     | -
      I'll be glad to.                                               | -
      I'll call you Echo.                                            | -
      I will call you Echo from now on.                              | -
      I'll go by Nova.                                               | -
      I will call myself Nova.                                       | -
      I think I will summarise it.                                   | -
      What I will do is unclear.                                     | -
      You said "I will call mom".                                    | -
      You said I will win.                                           | -
      I would summarise it.                                          | -
      I'd summarise it.                                              | -
      Done: summarise our talk about Paris.                          | -
      Tell me about Paris.                                           | -
      I will.                                                        | -
      I will …                                                       | -
      """)
  void commitments(String text, String expected) {
    List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(" ## "));
    assertEquals(want, CommitmentParser.commitments(text));
  }

  @Test
  void anActionOfMoreThanFiftyWordsIsNotACommitment() {
    String fifty = "go ".repeat(50).strip();
    assertEquals(List.of(fifty), CommitmentParser.commitments("I will " + fifty + "."));
    assertEquals(List.of(), CommitmentParser.commitments("I will " + fifty + " more."));
    // Fifty words of 249 characters are a commitment too, cut to 200 characters at a word.
    String longer = "word ".repeat(50).strip();
    assertEquals(List.of("word ".repeat(40).strip()), CommitmentParser.commitments("I will " + longer + "."));
    assertEquals(List.of(), CommitmentParser.commitments("I will " + longer + " more."));
  }

  @Test
  void aLongActionIsCutAtAWordBoundary() {
    String action = "summarise " + "extraordinarily comprehensive documentation and ".repeat(5) + "appendices";
    List<String> found = CommitmentParser.commitments("I will " + action + ".");
    assertEquals(1, found.size());
    String text = found.get(0);
    assertTrue(text.length() <= CommitmentParser.MAX_CHARS, text.length() + " characters");
    assertTrue(action.startsWith(text + " "), "a prefix of the action ending at a word: " + text);
    assertFalse(text.endsWith(" and"), "trimmed like any action: " + text);
    assertEquals(List.of(text), CommitmentParser.commitments("I will " + text + "."), "read back as itself");
  }

  @Test
  void aLongWordIsCutAtTheLimit() {
    String word = "x".repeat(16_000);
    assertEquals(List.of("x".repeat(CommitmentParser.MAX_CHARS)), CommitmentParser.commitments("I will " + word));
    assertEquals(List.of(), CommitmentParser.commitments("I will " + "-".repeat(300) + "x"),
        "an action whose first 200 characters hold no letter is none");
  }

  @Test
  void emptyAndNullTextHaveNone() {
    assertEquals(List.of(), CommitmentParser.commitments(""));
    assertEquals(List.of(), CommitmentParser.commitments(null));
  }
}
