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
 */
public final class CommitmentParser {
  private CommitmentParser() {}

  static final int MAX_WORDS = 50;

  private static final Pattern TRIGGER = Pattern.compile(
      "(?<![\\p{L}'])(?:i\\s+will|i'll|i\\s+shall|i\\s+commit\\s+to)\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern TRAILING = Pattern.compile("[\\s.,;:!?\"')\\]…—–-]+$");
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
        if (Sentences.clauseStart(text.substring(0, m.start()))) {
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

  /** The action of one trigger, cleaned, or null when it is not a commitment. */
  private static String action(String raw) {
    String a = trimEnd(raw);
    Matcher adverb = LEADING_ADVERB.matcher(a);
    while (adverb.lookingAt()) {
      a = a.substring(adverb.end());
      adverb = LEADING_ADVERB.matcher(a);
    }
    String lower = a.toLowerCase(Locale.ROOT);
    if (a.isEmpty() || !a.codePoints().anyMatch(Character::isLetter)
        || startsWithWord(lower, "not") || startsWithWord(lower, "never")
        || startsWithWord(lower, "be") || naming(a, lower)
        || a.split("\\s+").length > MAX_WORDS) {
      return null;
    }
    return a;
  }

  private static boolean naming(String action, String lower) {
    if (lower.startsWith("go by ") || lower.startsWith("call myself ")) {
      return true;
    }
    return (lower.startsWith("call you ") || lower.startsWith("call yourself "))
        && NamingParser.userNamesMind("I will " + action).isPresent();
  }

  private static String trimEnd(String raw) {
    String a = raw.strip();
    while (true) {
      String before = a;
      a = TRAILING.matcher(a).replaceFirst("");
      int space = a.lastIndexOf(' ');
      if (space > 0 && TRAILING_CONNECTIVES.contains(a.substring(space + 1).toLowerCase(Locale.ROOT))) {
        a = a.substring(0, space);
      }
      if (a.equals(before)) {
        return a;
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
