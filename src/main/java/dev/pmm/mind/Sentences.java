package dev.pmm.mind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sentence splitting and clause starts, shared by the parsers so that "I will …", "Done: …" and
 * "My name is …" are recognised by one rule: a phrase counts only where a clause can begin.
 *
 * <p>All of it is loops, linear in the text: splitting looks at each character a bounded number of
 * times, and the clause checks look back from a phrase only as far as they need.
 */
final class Sentences {
  private Sentences() {}

  /** One sentence, its terminator kept; a question is one that ends with "?". */
  record Sentence(String text, boolean question) {}

  private static final String LINE_BREAKS = "\n\u000B\f\r\u0085\u2028\u2029";
  private static final String BULLETS = "-*•>";
  private static final String TERMINATORS = ".!?…";
  private static final String CLOSERS = "\"')]";
  private static final String CLOSERS_OR_WHITESPACE = CLOSERS + Texts.PATTERN_WHITESPACE;

  /** Words after which a new clause may start: "Next, I will", "and then I'll", "Sure, I'll". */
  private static final Set<String> CONNECTIVES = Set.of(
      "and", "so", "then", "next", "now", "also", "first", "finally", "today", "tomorrow", "later",
      "soon", "instead", "afterwards", "ok", "okay", "yes", "sure", "promise", "well", "but", "hi",
      "hello", "hey");
  private static final int LONGEST_CONNECTIVE = CONNECTIVES.stream().mapToInt(String::length).max().orElseThrow();

  /**
   * The sentences of {@code text}: its lines (a bullet or "1." / "1)" at a line's start dropped), each
   * cut where a terminator (".!?…"), perhaps closing quotes or brackets, and whitespace follow one
   * another, the closers and whitespace dropped. So "0.45" and "e.g.x" stay whole.
   */
  static List<Sentence> split(String text) {
    List<Sentence> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String t = normalise(text);
    int lineStart = 0;
    while (lineStart < t.length()) {
      int lineEnd = lineStart;
      while (lineEnd < t.length() && LINE_BREAKS.indexOf(t.charAt(lineEnd)) < 0) {
        lineEnd++;
      }
      splitLine(t, afterBullet(t, lineStart, lineEnd), lineEnd, out);
      lineStart = lineEnd + 1;
    }
    return out;
  }

  /** Where a line's text starts: after a bullet and the whitespace that must follow it, if it has one. */
  private static int afterBullet(String t, int start, int end) {
    int at = skipWhitespace(t, start, end);
    int marker = at;
    while (at < end && BULLETS.indexOf(t.charAt(at)) >= 0) {
      at++;
    }
    if (at == marker) {
      while (at < end && at - marker < 3 && t.charAt(at) >= '0' && t.charAt(at) <= '9') {
        at++;
      }
      if (at == marker || at == end || (t.charAt(at) != '.' && t.charAt(at) != ')')) {
        return start;
      }
      at++;
    }
    int text = skipWhitespace(t, at, end);
    return text > at ? text : start;
  }

  private static void splitLine(String t, int start, int end, List<Sentence> out) {
    int pieceStart = start;
    for (int at = start + 1; at < end; at++) {
      if (TERMINATORS.indexOf(t.charAt(at - 1)) < 0) {
        continue;
      }
      int closed = at;
      while (closed < end && CLOSERS.indexOf(t.charAt(closed)) >= 0) {
        closed++;
      }
      int next = skipWhitespace(t, closed, end);
      if (next > closed) {
        add(t.substring(pieceStart, at), out);
        pieceStart = next;
        at = next;
      }
    }
    add(t.substring(pieceStart, end), out);
  }

  private static void add(String piece, List<Sentence> out) {
    String s = piece.strip();
    if (!s.isEmpty()) {
      int end = Texts.runStart(s, s.length(), CLOSERS_OR_WHITESPACE);
      out.add(new Sentence(s, end > 0 && s.charAt(end - 1) == '?'));
    }
  }

  private static int skipWhitespace(String t, int at, int end) {
    while (at < end && Texts.PATTERN_WHITESPACE.indexOf(t.charAt(at)) >= 0) {
      at++;
    }
    return at;
  }

  /** Typographic quotes and spaces become plain ones so one pattern serves both spellings. */
  static String normalise(String text) {
    return text.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201C', '"')
        .replace('\u201D', '"').replace('\u00A0', ' ');
  }

  /**
   * Whether a clause can start at {@code at} in {@code text}: at its start, after one of ",;:(—–-",
   * or after a connective. It looks back over the whitespace and at most one short word, so checking
   * every phrase of a long text costs no more than reading it.
   */
  static boolean clauseStart(String text, int at) {
    int first = 0;
    while (first < at && Character.isWhitespace(text.charAt(first))) {
      first++;
    }
    int end = at;
    while (end > first && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (end == first) {
      return true;
    }
    if (",;:(—–-".indexOf(text.charAt(end - 1)) >= 0) {
      return true;
    }
    int start = end;
    while (start > first && text.charAt(start - 1) != ' ') {
      if (end - start == LONGEST_CONNECTIVE) {
        return false;
      }
      start--;
    }
    return CONNECTIVES.contains(text.substring(start, end).toLowerCase(Locale.ROOT));
  }

  /**
   * The last {@code n} words before {@code at} in {@code text}, lower-case, punctuation stripped
   * (a word that is all punctuation is left out). Words are split on pattern whitespace.
   */
  static List<String> lastWords(String text, int at, int n) {
    int first = 0;
    while (first < at && Character.isWhitespace(text.charAt(first))) {
      first++;
    }
    int end = at;
    while (end > first && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    List<String> out = new ArrayList<>();
    for (int taken = 0; taken < n && end > first; taken++) {
      int start = end;
      while (start > first && Texts.PATTERN_WHITESPACE.indexOf(text.charAt(start - 1)) < 0) {
        start--;
      }
      String word = lettersAtBothEnds(text.substring(start, end).toLowerCase(Locale.ROOT));
      if (!word.isEmpty()) {
        out.add(0, word);
      }
      end = start;
      while (end > first && Texts.PATTERN_WHITESPACE.indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
    }
    return out;
  }

  /** {@code word} from its first to its last letter or apostrophe ("" when it has neither). */
  private static String lettersAtBothEnds(String word) {
    int start = 0;
    while (start < word.length() && !letterOrApostrophe(word.codePointAt(start))) {
      start += Character.charCount(word.codePointAt(start));
    }
    int end = word.length();
    while (end > start && !letterOrApostrophe(word.codePointBefore(end))) {
      end -= Character.charCount(word.codePointBefore(end));
    }
    return word.substring(start, end);
  }

  private static boolean letterOrApostrophe(int c) {
    return c == '\'' || Character.isLetter(c);
  }
}
