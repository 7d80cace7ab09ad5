package dev.pmm.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Texts built to make pattern matching backtrack, and a check that a function's cost grows with
 * their length no faster than linearly.
 *
 * <p>Each text is a prefix (nothing, or a phrase a parser looks for), a unit repeated up to the
 * length (a punctuation mark, a quote, a bracket, a digit, a kind of whitespace, an alternation
 * such as {@code 'x} or {@code " ."}, a parser's phrase), and an ending (nothing, a letter or "?"):
 * a run that a {@code $}-anchored character class nearly matches and then fails on is the shape
 * that took 7 to 31 seconds for 16,000 characters.
 *
 * <p>The check compares a function on 16,000 characters with the same shape at 1,600: a linear
 * scan costs about 10 times as much, a quadratic one about 100 times. It passes when the long text
 * costs at most 40 times the short one plus {@value #SLACK_MS} ms and at most {@value #CEILING_MS}
 * ms. Costs are the calling thread's CPU time (time spent waiting for a core or in another thread's
 * garbage collection does not count) and the best of up to {@value #TRIES} tries, so a busy
 * machine cannot fail it, while a quadratic pattern (seconds) cannot pass.
 */
public final class AdversarialTexts {
  private AdversarialTexts() {}

  public static final int LONG = 16_000;
  public static final int SHORT = 1_600;

  static final long SLACK_MS = 10;
  static final long CEILING_MS = 200;
  static final int TRIES = 5;
  /** Slow shapes listed before a function's check gives up: enough to see the pattern, quick on broken code. */
  static final int SLOW_SHAPES_SHOWN = 5;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** A text of the given shape and about the given length. */
  public record Shape(String prefix, String unit, String ending) {
    public String text(int length) {
      StringBuilder b = new StringBuilder(length).append(prefix);
      while (b.length() + unit.length() + ending.length() <= length) {
        b.append(unit);
      }
      return b.append(ending).toString();
    }

    @Override
    public String toString() {
      return visible(prefix) + "(" + visible(unit) + ")*" + visible(ending);
    }
  }

  /** Single characters: the marks, quotes and brackets the trims strip, digits, whitespace, invisibles. */
  private static final List<String> MARKS = marks();
  /** Alternations, where each mark restarts a match that fails further on. */
  private static final List<String> PAIRS = List.of("1.", "1)", "'x", "x'", "\" .", " .", ". ", ".\"", "x.", "a ",
      ". x", ", ", " ,", ".)", ")(", "-x", "'-", "\t.", "?!", "…\"", "\u0308\u0301");
  /** The parsers' own phrases, so that each match starts again right after the last one. */
  private static final List<String> PHRASES = List.of("I will ", "I'll\t", "i will ", "I will x ", "and ", "x and ",
      "also ", "Done: ", "Done:", "done : ", "I have finished ", "I am ", "I'm ", "I am Bob Bob ", "you are ",
      "your name is ", "your name is x ", "Your name is Echo Bravo x ", "call me ", "my name is ", "please ",
      "please, ", "about ", "did you ", "go ahead ", "you ", "you are you are ", "not ", "if your name is ",
      "from now on you are ", "Hi, ", "ok, ", "x", "X", "xY", "é");
  private static final List<String> PREFIXES = List.of("please ", "could you ", "I will ", "I am ", "my name is ",
      "your name is ", "you are ", "Done: ", "did you ", "tell me about ");
  private static final List<String> ENDINGS = List.of("", "x", "?");

  private static List<String> marks() {
    List<String> marks = new ArrayList<>();
    ".,;:!?\"')]}…—–-([{<>`'‘’“”«»‹›„‚*•#/\\_~|07".codePoints().forEach(c -> marks.add(Character.toString(c)));
    // Whitespace of every kind the patterns treat differently, and invisible characters.
    marks.addAll(List.of(" ", "\t", "\n", "\r", "\u000B", "\f", "\u00A0", "\u2003", "\u3000", "\u2028", "\u0085",
        "\u200B", "\uFEFF", "\u0000"));
    // A combining mark: Java's \b looks back over a whole run of them from each position in it.
    marks.add("\u0301");
    return marks;
  }

  /**
   * Every shape: each unit alone with each ending, and each mark and pair behind each prefix (the
   * phrases a parser looks for, so that the run is what it reads next) with the ending "x".
   */
  public static List<Shape> shapes() {
    List<Shape> shapes = new ArrayList<>();
    for (List<String> units : List.of(MARKS, PAIRS, PHRASES)) {
      for (String unit : units) {
        ENDINGS.forEach(ending -> shapes.add(new Shape("", unit, ending)));
        if (units != PHRASES) {
          PREFIXES.forEach(prefix -> shapes.add(new Shape(prefix, unit, "x")));
        }
      }
    }
    return shapes;
  }

  /** Fails listing the shapes on which {@code function} costs more than linear in the text's length. */
  public static void assertLinear(String name, Function<String, ?> function) {
    List<String> slow = new ArrayList<>();
    for (Shape shape : shapes()) {
      String shortText = shape.text(SHORT);
      String longText = shape.text(LONG);
      long shortNs = cpuNanos(function, shortText, Long.MAX_VALUE);
      long boundNs = Math.min(CEILING_MS * 1_000_000, 40 * shortNs + SLACK_MS * 1_000_000);
      long longNs = cpuNanos(function, longText, boundNs);
      if (longNs > boundNs) {
        slow.add(String.format("%s: %.1f ms for %d characters, %.2f ms for %d", shape,
            longNs / 1e6, longText.length(), shortNs / 1e6, shortText.length()));
        if (slow.size() == SLOW_SHAPES_SHOWN) {
          break;
        }
      }
    }
    assertEquals(List.of(), slow, name + " takes more than linear time");
  }

  /**
   * The least CPU time of up to {@value #TRIES} calls, stopping at the first within {@code boundNs}
   * or at one so far over it (ten times) that no noise explains it.
   */
  static long cpuNanos(Function<String, ?> function, String text, long boundNs) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < TRIES; i++) {
      long started = now();
      function.apply(text);
      long took = now() - started;
      best = Math.min(best, took);
      if (best <= boundNs || took / 10 > boundNs) {
        break;
      }
    }
    return best;
  }

  private static long now() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private static String visible(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> b.append(c < 0x20 || c == 0x85 || (c >= 0x2000 && c <= 0x206F) || c == 0xFEFF
        || c == 0xA0 || c == 0x3000 ? String.format("\\u%04X", c) : Character.toString(c)));
    return '"' + b.toString() + '"';
  }
}
