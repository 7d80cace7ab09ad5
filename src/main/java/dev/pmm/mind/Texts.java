package dev.pmm.mind;

/**
 * Plain loops over free text, for what patterns did badly: a {@code $}-anchored run such as
 * {@code [.,;:!?]+$} is retried from every character of a long run that does not reach the end,
 * so "x" after 16,000 dots took seconds. Each function here looks at each character once.
 */
public final class Texts {
  private Texts() {}

  /** What {@code \s} matches in a Java pattern: the whitespace the parsers' phrases are split on. */
  public static final String PATTERN_WHITESPACE = " \t\n\u000B\f\r";

  /** {@code text} without the longest run at its end made only of {@code chars}. */
  public static String trimEnd(String text, String chars) {
    return text.substring(0, runStart(text, text.length(), chars));
  }

  /** Where the run of {@code chars} that ends at {@code end} starts ({@code end} when there is none). */
  public static int runStart(String text, int end, String chars) {
    int start = end;
    while (start > 0 && chars.indexOf(text.charAt(start - 1)) >= 0) {
      start--;
    }
    return start;
  }

  /**
   * At most {@code max} characters of {@code text}: cut at its last whitespace within them when that
   * keeps at least half, else at {@code max} (never between the halves of a surrogate pair).
   */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    for (int i = max; i >= max / 2; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        return text.substring(0, i).stripTrailing();
      }
    }
    return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
  }

  /**
   * Whether anything in {@code text} would show: a character that is not whitespace, a control
   * character, a format character (zero-width spaces and joiners, the byte-order mark, direction
   * marks, tags) or one of the fillers and selectors Unicode lists as ignorable.
   */
  public static boolean hasVisibleCharacter(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!invisible(c)) {
        return true;
      }
      i += Character.charCount(c);
    }
    return false;
  }

  private static boolean invisible(int c) {
    int type = Character.getType(c);
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.CONTROL || type == Character.FORMAT
        // Unicode's Default_Ignorable_Code_Point characters that are not format characters (Hangul
        // fillers, the combining grapheme joiner, Khmer inherent vowels, variation selectors, the tag
        // block), and the blank braille pattern.
        || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F)
        || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFFA0 || (c >= 0xE0000 && c <= 0xE0FFF)
        || c == 0x2800;
  }
}
