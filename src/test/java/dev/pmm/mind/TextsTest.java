package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /** Whitespace, controls, format characters and fillers of every kind, alone or mixed. */
  @ParameterizedTest
  @ValueSource(strings = {"", " ", " \t\n\r\f\u000B", "\u00A0\u2003\u3000\u2028\u2029", "\u200B", "\u200C\u200D",
      "\u2060", "\uFEFF", "\u200B\u200C\u200D\u2060\uFEFF", "\u0000", "\u0000\u0001\u001F\u007F", "\u0085\u009F",
      "\u00AD", "\u180E", "\u200E\u200F\u202A\u202E", "\u2066\u2069", "\u034F", "\u115F\u1160\u3164\uFFA0",
      "\uFE0F", "\uDB40\uDC20\uDB40\uDC7F", "\uDB40\uDD00", "\u2800", " \u200B \u0000 \uFEFF "})
  void invisibleTexts(String text) {
    assertFalse(Texts.hasVisibleCharacter(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "\u200Bx", "x\u0000", ".", "0", "é", "e\u0301", "\u0301", "\uD83D\uDE00", "\u4E2D",
      "\uE000", " \u200B ? "})
  void visibleTexts(String text) {
    assertTrue(Texts.hasVisibleCharacter(text));
  }
}
