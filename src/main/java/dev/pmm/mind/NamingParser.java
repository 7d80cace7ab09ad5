package dev.pmm.mind;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a name given in conversation. Only explicit naming phrases count: the original treated any
 * capitalised word as a name ("Tell me about Paris" renamed the mind "Paris"); here a name needs a
 * phrase such as "your name is" or "My name is" in front of it.
 *
 * <p>A name is one or two words of at most {@value #MAX_WORD} characters each and
 * {@value #MAX_NAME} in all; a longer word is not taken as a name. Linear in the text: the phrases
 * start with fixed words, and a name is read by a loop.
 */
public final class NamingParser {
  private NamingParser() {}

  static final int MAX_WORD = 20;
  static final int MAX_NAME = 32;

  // Each pattern starts by looking ahead at the letters its phrases start with, so the matcher
  // passes over other characters without trying every alternative there (2-4 times faster).
  private static final Pattern USER_NAMES_MIND = Pattern.compile(
      "(?=[yilwcf])(?<![\\p{L}'])(?:"
          + "your\\s+(?:new\\s+)?name\\s+(?:is|will\\s+be|shall\\s+be)|your\\s+name's"
          + "|(?:i'll|i\\s+will|i'm\\s+going\\s+to|i\\s+am\\s+going\\s+to|i'd\\s+like\\s+to|i\\s+want\\s+to"
          + "|let\\s+me|let's|we'll|we\\s+will)\\s+(?:just\\s+)?call\\s+you"
          + "|i\\s+(?:hereby\\s+)?name\\s+you|you\\s+are\\s+called|you're\\s+called|call\\s+yourself"
          + "|(?<fromNow>from\\s+now\\s+on,?\\s+(?:you\\s+are|you're))"
          + ")\\s+",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern MIND_ADOPTS = Pattern.compile(
      "(?=[mypjci])(?<![\\p{L}'])(?:"
          + "my\\s+name\\s+is|my\\s+name's"
          + "|(?:you\\s+can\\s+|please\\s+|just\\s+)?call\\s+me"
          + "|i(?:'ll|\\s+will|'d\\s+like\\s+to|\\s+would\\s+like\\s+to)?\\s+go\\s+by"
          + "|i\\s+am\\s+called|i'm\\s+called"
          + "|(?<iAm>i\\s+am|i'm)"
          + ")\\s+",
      Pattern.CASE_INSENSITIVE);

  private static final String AFTER_NAME = ".,!?;:)\"'—–-";
  private static final String END_OF_CLAUSE = ".,!;:)\"'—–-";

  /** Words before a naming phrase that undo it: "don't call yourself Echo", "if your name is Echo". */
  private static final Set<String> UNDOERS = Set.of(
      "not", "don't", "dont", "never", "won't", "wont", "wouldn't", "shouldn't", "can't", "cannot",
      "stop", "if", "whether", "unless");

  /**
   * Words that are never taken as a name, whatever their case: pronouns, function words,
   * negations, question words, and the states and adjectives that follow "I am".
   */
  static final Set<String> NOT_NAMES = Set.copyOf(List.of(
      // pronouns and determiners
      "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "he", "him", "his",
      "she", "her", "hers", "it", "its", "we", "us", "our", "ours", "they", "them", "their", "theirs",
      "this", "that", "these", "those", "a", "an", "the", "some", "any", "no", "every", "each", "all",
      "both", "either", "neither", "one", "another", "such", "someone", "something", "anyone",
      "anything", "everyone", "everything", "nobody", "nothing", "none", "somebody", "anybody",
      // question words
      "who", "whom", "whose", "what", "which", "where", "when", "why", "how", "whatever", "whoever",
      // auxiliaries and negations
      "not", "never", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did",
      "done", "have", "has", "had", "will", "would", "shall", "should", "can", "could", "may",
      "might", "must", "going", "gonna", "trying", "getting",
      // prepositions and conjunctions
      "and", "or", "but", "so", "because", "if", "then", "than", "as", "at", "by", "for", "from",
      "in", "into", "of", "off", "on", "onto", "out", "over", "to", "up", "upon", "with", "without",
      "about", "after", "before", "back", "down", "like", "unless", "until", "while", "whether",
      // adverbs and fillers
      "now", "later", "soon", "today", "tomorrow", "tonight", "yesterday", "again", "always",
      "sometimes", "just", "only", "really", "very", "too", "also", "here", "there", "please",
      "maybe", "perhaps", "still", "already", "anyway", "instead", "yet", "ok", "okay", "yes",
      "yeah", "thanks", "thank", "sorry", "forever", "whenever", "every",
      // states and adjectives
      "happy", "glad", "sad", "sure", "unsure", "certain", "uncertain", "ready", "fine", "good",
      "great", "well", "right", "wrong", "correct", "true", "false", "important", "unimportant",
      "irrelevant", "helpful", "welcome", "able", "unable", "free", "busy", "lucky", "new", "old",
      "nice", "kind", "smart", "clever", "curious", "excited", "afraid", "aware", "confused",
      "tired", "alive", "real", "human", "interested", "confident", "honest", "responsible",
      "grateful", "thankful", "pleased", "delighted", "available", "capable", "programmed",
      "designed", "built", "made", "different", "same", "unknown", "known", "named", "called",
      "name", "thinking", "working", "learning", "listening", "here", "back", "in", "ai",
      "assistant", "bot", "chatbot", "model", "language", "program", "machine", "computer",
      "nameless", "anonymous", "whatever", "simply",
      // languages and nationalities, which follow "I am" as often as names do
      "english", "french", "german", "spanish", "italian", "chinese", "japanese", "russian",
      "american", "british", "european", "canadian", "australian", "indian"));

  /**
   * The name the user gives the mind: "your name is X", "I'll call you X", "I will call you X",
   * "you are called X", "from now on you are X", "call yourself X". Returned with each word's first
   * letter upper-cased.
   */
  public static Optional<String> userNamesMind(String userText) {
    if (userText == null) {
      return Optional.empty();
    }
    boolean cased = usesCapitals(Sentences.normalise(userText));
    for (Sentences.Sentence s : Sentences.split(userText)) {
      if (s.question()) {
        continue;
      }
      Matcher m = USER_NAMES_MIND.matcher(s.text());
      while (m.find()) {
        if (undone(s.text(), m.start())) {
          continue;
        }
        // "from now on you are helpful" is a state; only a capitalised name follows it as a name.
        boolean mustCapitalise = cased || m.group("fromNow") != null;
        Optional<String> name = readName(s.text(), m.end(), mustCapitalise, cased, false);
        if (name.isPresent()) {
          return name.map(NamingParser::capitalise);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The name the mind gives itself: "My name is X", "call me X", "I'll go by X", "I am called X",
   * and "I am X" only as a whole clause with a capitalised name ("I am Echo." but not "I am happy",
   * "I am not sure" or "I am Echo and I like Paris"). The phrase must start a clause, so "tell them
   * my name is X" is not a claim. Also used for the user introducing themself.
   */
  public static Optional<String> mindAdoptsName(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (Sentences.Sentence s : Sentences.split(text)) {
      if (s.question()) {
        continue;
      }
      Matcher m = MIND_ADOPTS.matcher(s.text());
      while (m.find()) {
        if (!Sentences.clauseStart(s.text(), m.start())) {
          continue;
        }
        Optional<String> name = readName(s.text(), m.end(), true, true, m.group("iAm") != null);
        if (name.isPresent()) {
          return name;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * One or two name words at {@code from}. A second word is taken only when capitalised like the
   * first ({@code twoWords}); {@code wholeClause} demands that the clause ends after the name.
   */
  private static Optional<String> readName(String text, int from, boolean mustCapitalise,
                                           boolean twoWords, boolean wholeClause) {
    int at = from;
    if (at < text.length() && (text.charAt(at) == '"' || text.charAt(at) == '\'')) {
      at++;
    }
    String first = word(text, at);
    if (first == null || !acceptable(first, mustCapitalise)) {
      return Optional.empty();
    }
    at += first.length();
    if (!boundary(text, at)) {
      return Optional.empty();
    }
    String name = first;
    if (twoWords && at < text.length() && text.charAt(at) == ' ') {
      String second = word(text, at + 1);
      if (second != null && acceptable(second, true)) {
        String two = first + " " + second;
        int end = at + 1 + second.length();
        if (two.length() <= MAX_NAME && boundary(text, end)) {
          name = two;
          at = end;
        }
      }
    }
    if (wholeClause && !clauseEnds(text, at)) {
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /**
   * The word at {@code at}, a letter then letters, digits, apostrophes and hyphens, without the
   * apostrophes and hyphens it ends with; null when there is none or it is too long for a name.
   */
  private static String word(String text, int at) {
    if (at >= text.length() || !Character.isLetter(text.codePointAt(at))) {
      return null;
    }
    int end = at;
    int lastLetterOrDigit = at;
    while (end < text.length()) {
      int c = text.codePointAt(end);
      if (Character.isLetter(c) || Character.isDigit(c)) {
        lastLetterOrDigit = end + Character.charCount(c);
      } else if (c != '\'' && c != '-') {
        break;
      }
      // A word already too long for a name is not read to its end.
      if (lastLetterOrDigit - at > MAX_WORD) {
        return null;
      }
      end += Character.charCount(c);
    }
    return text.substring(at, lastLetterOrDigit);
  }

  private static boolean acceptable(String word, boolean mustCapitalise) {
    if (NOT_NAMES.contains(word.toLowerCase(Locale.ROOT))) {
      return false;
    }
    return !mustCapitalise || Character.isUpperCase(word.codePointAt(0));
  }

  private static boolean boundary(String text, int at) {
    if (at >= text.length()) {
      return true;
    }
    char c = text.charAt(at);
    return Character.isWhitespace(c) || AFTER_NAME.indexOf(c) >= 0;
  }

  private static boolean clauseEnds(String text, int at) {
    int next = at;
    while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
      next++;
    }
    return next == text.length() || END_OF_CLAUSE.indexOf(text.charAt(next)) >= 0;
  }

  private static boolean undone(String text, int phraseStart) {
    return Sentences.lastWords(text, phraseStart, 2).stream().anyMatch(UNDOERS::contains);
  }

  /**
   * Whether the text uses capitals anywhere but at a sentence start or in "I": if it does, its
   * writer capitalises names, so a lower-case word after "your name is" is not one.
   */
  static boolean usesCapitals(String text) {
    boolean sentenceStart = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        boolean loneI = c == 'I' && (i + 1 >= text.length() || !Character.isLetter(text.charAt(i + 1)))
            && (i == 0 || !Character.isLetter(text.charAt(i - 1)));
        if (Character.isUpperCase(c) && !sentenceStart && !loneI) {
          return true;
        }
        sentenceStart = false;
      } else if (".!?\n".indexOf(c) >= 0) {
        sentenceStart = true;
      }
    }
    return false;
  }

  private static String capitalise(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean start = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(start ? Character.toUpperCase(c) : c);
      start = c == ' ';
    }
    return out.toString();
  }
}
