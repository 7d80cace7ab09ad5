package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextsTest {

  @Test
  void trimEndTakesTheWholeRunOffTheEndOnly() {
    assertEquals("I will go", Texts.trimEnd("I will go...!\"  ", Texts.PATTERN_WHITESPACE + ".!\""));
    assertEquals("..x", Texts.trimEnd("..x..", "."));
    assertEquals("", Texts.trimEnd("....", "."));
    assertEquals("x", Texts.trimEnd("x", "."));
    assertEquals(2, Texts.runStart("ab..", 4, "."));
    assertEquals(4, Texts.runStart("ab..", 4, ","));
  }

  @Test
  void cutKeepsShortTextsAndCutsLongOnesAtAWord() {
    assertEquals("short text", Texts.cut("short text", 20));
    assertEquals("one two", Texts.cut("one two three", 10), "at the last space within the limit");
    assertEquals("one two", Texts.cut("one two   three", 9), "and without the spaces before it");
    assertEquals("abcdefghij", Texts.cut("abcdefghijklmnop", 10), "a word longer than the limit is cut at the limit");
    assertEquals("a bcdefghij", Texts.cut("a bcdefghijklmnop", 11), "a space in the first half only would keep too little");
    assertEquals("x".repeat(9), Texts.cut("x".repeat(9) + "\uD83D\uDE00" + "y", 10), "never half a surrogate pair");
  }
}
