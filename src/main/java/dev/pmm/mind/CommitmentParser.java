package dev.pmm.mind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the commitments the mind makes: "I will …", "I'll …", "I shall …" and "I commit to …" where
 * a clause starts ("Next, I will …", "Sure, and then I'll …"), each returned as its action
 * ("I will summarise our talk about Paris." → "summarise our talk about Paris").
 *
 * <p>Not commitments: negations ("I will not …", "I'll never …"); questions (a sentence ending in
 * "?"); states, i.e. an action that starts with "be" ("I will be happy to help", "I'll be here");
 * naming ("I'll call you Echo", "I will go by Nova"); a phrase inside a clause or a quotation
 * ("I think I will …", "you said \"I will …\""); and an action longer than {@value #MAX_WORDS} words.
 * An action longer than {@value #MAX_CHARS} characters is cut to them, at a word boundary.
 *
 * <p>Linear in the text: the trigger starts with a fixed word, and the trimming is done by loops.
 */
public final class CommitmentParser {
  private CommitmentParser() {}

  static final int MAX_WORDS = 50;
  /** The longest commitment text: the ledger, the snapshot and every prompt that lists it carry it. */
  public static final int MAX_CHARS = 200;

  private static final Pattern TRIGGER = Pattern.compile(
      "(?=i)(?<![\\p{L}'])(?:i\\s+will|i'll|i\\s+shall|i\\s+commit\\s+to)\\s+", Pattern.CASE_INSENSITIVE);
  private static final String TRAILING = Texts.PATTERN_WHITESPACE + ".,;:!?\"')]…—–-";
  private static final Pattern LEADING_ADVERB = Pattern.compile(
      "^(?:also|then|now|first|next|definitely|certainly|gladly|happily|immediately|just|really"
          + "|personally|quickly|right\\s+away),?\\s+",
      Pattern.CASE_INSENSITIVE);
  private static final Set<String> TRAILING_CONNECTIVES = Set.of(
      "and", "so", "then", "but", "or", "also", "next");

  public static List<String> commitments(String assistantText) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> out = new ArrayList<>();
    for (Sentences.Sentence s : Sentences.split(assistantText)) {
      if (s.question()) {
        continue;
      }
      String text = s.text();
      List<int[]> triggers = new ArrayList<>();
      Matcher m = TRIGGER.matcher(text);
      while (m.find()) {
        if (Sentences.clauseStart(text, m.start())) {
          triggers.add(new int[] {m.start(), m.end()});
        }
      }
      for (int i = 0; i < triggers.size(); i++) {
        int end = i + 1 < triggers.size() ? triggers.get(i + 1)[0] : text.length();
        String action = action(text.substring(triggers.get(i)[1], end));
        if (action != null && seen.add(normalise(action))) {
          out.add(action);
        }
      }
    }
    return out;
  }

  /** The action of one trigger, cleaned and capped, or null when it is not a commitment. */
  private static String action(String raw) {
    String trimmed = trimEnd(raw);
    Matcher adverb = LEADING_ADVERB.matcher(trimmed);
    int start = 0;
    // A region, not a substring per adverb, so "also also also …" costs its length once.
    while (adverb.region(start, trimmed.length()).lookingAt()) {
      start = adverb.end();
    }
    String a = trimmed.substring(start);
    String lower = a.toLowerCase(Locale.ROOT);
    if (a.isEmpty() || startsWithWord(lower, "not") || startsWithWord(lower, "never")
        || startsWithWord(lower, "be") || naming(a, lower)
        || a.split("\\s+").length > MAX_WORDS) {
      return null;
    }
    String capped = cap(a);
    return capped.codePoints().anyMatch(Character::isLetter) ? capped : null;
  }

  /**
   * {@code action} cut to at most {@value #MAX_CHARS} characters at a word boundary (see
   * {@link Texts#cut}), then trimmed as an action is; unchanged when it is short enough. A reply that
   * promises the capped action is read back as exactly that action.
   */
  public static String cap(String action) {
    return action.length() <= MAX_CHARS ? action : trimEnd(Texts.cut(action, MAX_CHARS));
  }

  private static boolean naming(String action, String lower) {
    if (lower.startsWith("go by ") || lower.startsWith("call myself ")) {
      return true;
    }
    return (lower.startsWith("call you ") || lower.startsWith("call yourself "))
        && NamingParser.userNamesMind("I will " + action).isPresent();
  }

  /** Without trailing punctuation and connectives ("… and then."), each looked at once from the end. */
  private static String trimEnd(String raw) {
    String a = raw.strip();
    int end = a.length();
    while (true) {
      int before = end;
      end = Texts.runStart(a, end, TRAILING);
      int space = a.lastIndexOf(' ', end - 1);
      if (space > 0 && TRAILING_CONNECTIVES.contains(a.substring(space + 1, end).toLowerCase(Locale.ROOT))) {
        end = space;
      }
      if (end == before) {
        return a.substring(0, end);
      }
    }
  }

  private static boolean startsWithWord(String lower, String word) {
    return lower.equals(word) || lower.startsWith(word + " ") || lower.startsWith(word + ",");
  }

  /** Lower-case with whitespace collapsed: the form commitments are compared and hashed in. */
  public static String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
