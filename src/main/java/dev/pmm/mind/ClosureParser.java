package dev.pmm.mind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the open commitments a text reports finished: "Done: &lt;text&gt;" or "I have
 * finished/completed/done &lt;text&gt;" (also "I've …", "I have just …") where a clause starts,
 * naming an open commitment. A phrase names a commitment when the commitment's normalised text is
 * contained in it, or when at least {@value #OVERLAP_THRESHOLD} of the commitment's content words
 * (stemmed, stop-words and closure verbs left out) occur in it. Each phrase closes at most one
 * commitment, the best match; a phrase that names nothing open closes nothing.
 *
 * <p>Linear in the text: the marker starts with a fixed word, and the trimming is a loop.
 */
public final class ClosureParser {
  private ClosureParser() {}

  public static final double OVERLAP_THRESHOLD = 0.6;

  private static final Pattern MARKER = Pattern.compile(
      "(?=[di])(?<![\\p{L}'])(?:done\\s*:"
          + "|i(?:\\s+have|'ve)\\s+(?:now\\s+|just\\s+|already\\s+|finally\\s+)?(?:finished|completed|done)\\s)"
          + "\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final String TRAILING = Texts.PATTERN_WHITESPACE + ".,;:!?\"')]…—–-";

  private static final Set<String> STOP = Set.copyOf(List.of(
      "a", "an", "the", "to", "of", "and", "or", "for", "on", "in", "at", "by", "with", "about",
      "from", "into", "my", "your", "our", "their", "his", "her", "its", "this", "that", "these",
      "those", "it", "i", "you", "we", "me", "us", "will", "shall", "is", "are", "was", "be", "been",
      "have", "has", "had", "do", "did", "done", "finish", "finished", "complete", "completed",
      "now", "just", "then", "also", "all", "i've", "i'll", "ve"));

  /** The cids of {@code open} that {@code text} reports done, in the order it reports them. */
  public static List<String> closes(String text, List<MindContext.Commitment> open) {
    Set<String> closed = new LinkedHashSet<>();
    if (open == null || open.isEmpty()) {
      return List.of();
    }
    // Prepared once: a text with thousands of "Done:" would otherwise prepare each commitment again for each.
    List<Target> targets = open.stream().map(Target::of).toList();
    for (Sentences.Sentence s : Sentences.split(text)) {
      if (s.question()) {
        continue;
      }
      String t = s.text();
      List<int[]> markers = new ArrayList<>();
      Matcher m = MARKER.matcher(t);
      while (m.find()) {
        if (Sentences.clauseStart(t, m.start())) {
          markers.add(new int[] {m.start(), m.end()});
        }
      }
      for (int i = 0; i < markers.size(); i++) {
        int end = i + 1 < markers.size() ? markers.get(i + 1)[0] : t.length();
        String named = Texts.trimEnd(t.substring(markers.get(i)[1], end), TRAILING);
        List<Target> remaining = targets.stream().filter(c -> !closed.contains(c.commitment().cid())).toList();
        best(named, remaining).ifPresent(c -> closed.add(c.cid()));
      }
    }
    return List.copyOf(closed);
  }

  /**
   * The open commitment {@code named} names, if any. Containment beats overlap; among containments
   * the longest commitment wins ("summarise Paris notes" over "summarise Paris"); among overlaps the
   * highest share; ties go to the oldest (first in the list).
   */
  public static Optional<MindContext.Commitment> bestMatch(String named, List<MindContext.Commitment> open) {
    return best(named, open.stream().map(Target::of).toList());
  }

  /** A commitment with its plain text and its stems. */
  private record Target(MindContext.Commitment commitment, String plain, Set<String> stems) {
    static Target of(MindContext.Commitment c) {
      return new Target(c, ClosureParser.plain(c.text()), ClosureParser.stems(c.text()));
    }
  }

  private static Optional<MindContext.Commitment> best(String named, List<Target> open) {
    String n = " " + plain(named) + " ";
    Set<String> namedStems = stems(named);
    MindContext.Commitment best = null;
    double bestScore = 0;
    for (Target c : open) {
      double score;
      if (!c.plain().isEmpty() && n.contains(" " + c.plain() + " ")) {
        score = 2 + c.plain().length() / 10_000.0;
      } else {
        double share = overlap(namedStems, c.stems());
        score = share >= OVERLAP_THRESHOLD ? share : 0;
      }
      if (score > bestScore) {
        best = c.commitment();
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The share of the commitment's content words that {@code named} contains, 0 to 1. */
  public static double overlap(String named, String commitmentText) {
    return overlap(stems(named), stems(commitmentText));
  }

  private static double overlap(Set<String> named, Set<String> commitment) {
    if (commitment.isEmpty()) {
      return 0;
    }
    Set<String> common = new HashSet<>(commitment);
    common.retainAll(named);
    return (double) common.size() / commitment.size();
  }

  /** Lower-case letters and digits, words separated by single spaces. */
  static String plain(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{Nd}']+", " ").strip();
  }

  /**
   * Content words reduced to a crude stem (a suffix off, a final "e" off, at most six letters) so
   * "summarise", "summarised" and "summary" meet.
   */
  static Set<String> stems(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : plain(text).split(" ")) {
      if (w.isEmpty() || STOP.contains(w)) {
        continue;
      }
      String s = w.replace("'", "");
      if (s.length() > 5 && s.endsWith("ing")) {
        s = s.substring(0, s.length() - 3);
      } else if (s.length() > 4 && s.endsWith("ed")) {
        s = s.substring(0, s.length() - 2);
      } else if (s.length() > 3 && s.endsWith("s") && !s.endsWith("ss")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.length() > 3 && s.endsWith("e")) {
        s = s.substring(0, s.length() - 1);
      }
      out.add(s.length() > 6 ? s.substring(0, 6) : s);
    }
    return out;
  }
}
