package dev.pmm.mind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sentence splitting and clause starts, shared by the parsers so that "I will …", "Done: …" and
 * "My name is …" are recognised by one rule: a phrase counts only where a clause can begin.
 */
final class Sentences {
  private Sentences() {}

  /** One sentence, its terminator kept; a question is one that ends with "?". */
  record Sentence(String text, boolean question) {}

  private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*•>]+|\\d{1,3}[.)])\\s+");
  // A terminator only ends a sentence when whitespace follows, so "0.45" and "e.g.x" stay whole.
  private static final Pattern BREAK = Pattern.compile("(?<=[.!?…])[\"')\\]]*\\s+");
  private static final Pattern TRAILING_CLOSERS = Pattern.compile("[\"')\\]\\s]+$");

  /** Words after which a new clause may start: "Next, I will", "and then I'll", "Sure, I'll". */
  private static final Set<String> CONNECTIVES = Set.of(
      "and", "so", "then", "next", "now", "also", "first", "finally", "today", "tomorrow", "later",
      "soon", "instead", "afterwards", "ok", "okay", "yes", "sure", "promise", "well", "but", "hi",
      "hello", "hey");

  static List<Sentence> split(String text) {
    List<Sentence> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String line : normalise(text).split("\\R")) {
      String unbulleted = BULLET.matcher(line).replaceFirst("");
      for (String piece : BREAK.split(unbulleted)) {
        String s = piece.strip();
        if (!s.isEmpty()) {
          String bare = TRAILING_CLOSERS.matcher(s).replaceFirst("");
          out.add(new Sentence(s, bare.endsWith("?")));
        }
      }
    }
    return out;
  }

  /** Typographic quotes and spaces become plain ones so one pattern serves both spellings. */
  static String normalise(String text) {
    return text.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201C', '"')
        .replace('\u201D', '"').replace('\u00A0', ' ');
  }

  /** Whether a clause can start right after {@code before} (the sentence text before a phrase). */
  static boolean clauseStart(String before) {
    String b = before.strip();
    if (b.isEmpty()) {
      return true;
    }
    char last = b.charAt(b.length() - 1);
    if (",;:(—–-".indexOf(last) >= 0) {
      return true;
    }
    int space = b.lastIndexOf(' ');
    String lastWord = b.substring(space + 1).toLowerCase(Locale.ROOT);
    return CONNECTIVES.contains(lastWord);
  }

  /** The last {@code n} words of {@code before}, lower-case, punctuation stripped. */
  static List<String> lastWords(String before, int n) {
    String[] words = before.strip().toLowerCase(Locale.ROOT).split("\\s+");
    List<String> out = new ArrayList<>();
    for (int i = Math.max(0, words.length - n); i < words.length; i++) {
      String w = words[i].replaceAll("^[^\\p{L}']+|[^\\p{L}']+$", "");
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
