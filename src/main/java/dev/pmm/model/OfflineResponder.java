package dev.pmm.model;

import dev.pmm.mind.ClosureParser;
import dev.pmm.mind.CommitmentParser;
import dev.pmm.mind.MindContext;
import dev.pmm.mind.NamingParser;
import dev.pmm.mind.Texts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule-based stand-in for a language model: it answers from the {@link MindContext} alone, the
 * same input always giving the same reply. It exists to exercise the whole loop offline (naming,
 * commitments made and reported done, recall, reflections), not to converse well.
 *
 * <p>Its replies only use the parsers' phrases on purpose: "My name is X" when it was named or
 * asked its name, "I will X." when asked to do something, "Done: X." when told to finish. Text it
 * repeats from memory is put in reported speech or reduced to keywords so a remembered "I will …"
 * or "Done: …" is never parsed again as a new one.
 */
public final class OfflineResponder {

  private static final int LISTED_COMMITMENTS = 10;
  private static final int TOPIC_WORDS = 8;
  private static final int MEMORY_WORDS = 14;
  private static final int MAX_TOPIC_CHARS = 80;

  // Word edges are lookarounds over one character, not \b: in Java, \b before a run of combining
  // marks looks back over the whole run, from every position in it (6 s for 16,000 marks).
  private static final String START = "(?<![\\p{L}\\p{Nd}_])";
  private static final String END = "(?![\\p{L}\\p{Nd}_])";

  // Every pattern here is linear in the text: each alternative starts with a fixed word, and
  // whitespace runs are followed by something whitespace cannot match, so no run is rescanned.
  // Each looks ahead first at the letters its words start with, so the matcher passes over other
  // characters without trying every alternative there (2-4 times faster on long texts).
  private static final Pattern ASKS_NAME = Pattern.compile(
      "(?=[wdy])(?:what(?:'s|\\s+is)\\s+your\\s+name|who\\s+are\\s+you|do\\s+you\\s+have\\s+a\\s+name"
          + "|what\\s+(?:should|can|do|shall)\\s+i\\s+call\\s+you|what\\s+are\\s+you\\s+called"
          + "|your\\s+name\\s*\\?)");
  private static final Pattern ASKS_COMMITMENTS = Pattern.compile(
      "(?=[cpwyo])(?:" + START
          + "(?:commitments?|promises?|working\\s+on|your\\s+(?:priorities|tasks|plans|to-?dos?)|open\\s+tasks)" + END
          + "|what\\s+are\\s+you\\s+doing|what\\s+have\\s+you\\s+promised)");
  private static final Pattern ASKS_METRICS = Pattern.compile(
      "(?=[igmsdpe])" + START + "(?:ias|gas|metrics?|growth|grow(?:ing|n)?|stage|develop(?:ing|ment|ed)?"
          + "|progress(?:ing)?|evolv(?:e|ing))" + END);
  private static final Pattern ASKS_DID = Pattern.compile(
      "(?=[dh])" + START + "(?:did\\s+you|have\\s+you(?:\\s+(?:finished|completed|done))?)\\s+(.+)");
  private static final Pattern TELLS_TO_FINISH = Pattern.compile(
      "(?=[gpcdfwai])" + START + "(?:go\\s+ahead|proceed|carry\\s+on|do\\s+it|finish|complete|wrap\\s+(?:it\\s+)?up"
          + "|get\\s+it\\s+done|are\\s+you\\s+done|is\\s+it\\s+done)" + END);
  // "\s*+," and "\s++" take a whitespace run once: "\s*,?\s+" could split a run between its two
  // quantifiers in every way, and tried them all when the text after the run did not fit.
  private static final String COMMA_OR_SPACE = "(?:\\s*+,\\s++|\\s++)";
  private static final Pattern REQUEST = Pattern.compile(
      "^(?:(?:ok(?:ay)?|so|and|now|also|then)" + COMMA_OR_SPACE + ")?"
          + "(?:please" + COMMA_OR_SPACE + "|(?:can|could|would|will)\\s+you\\s+(?:please\\s+)?"
          + "|(?:please\\s+)?remember\\s+to\\s+|i\\s+(?:want|need|would\\s+like)\\s+you\\s+to\\s+"
          + "|i'd\\s+like\\s+you\\s+to\\s+)(.+)$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ABOUT = Pattern.compile(
      "(?=[arc])" + START + "(?:about|regarding|concerning)\\s+(.+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern GREETING = Pattern.compile(
      "^(?:hi|hello|hey|good\\s+(?:morning|afternoon|evening))" + END);
  private static final Pattern THANKS = Pattern.compile("(?=t)" + START + "(?:thanks?|thank\\s+you)" + END);
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\R");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{Nd}][\\p{L}\\p{Nd}'-]*");
  private static final Pattern LETTERS = Pattern.compile("[\\p{L}']+");

  /** Verbs that ask for information now rather than for a task to be done later. */
  private static final Set<String> TELLING_VERBS = Set.of(
      "tell", "explain", "describe", "say", "talk", "show", "answer", "hear", "understand", "see");

  private static final Set<String> STOP = Set.copyOf(List.of(
      "a", "an", "the", "to", "of", "and", "or", "but", "for", "on", "in", "at", "by", "with",
      "about", "from", "into", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did",
      "done", "have", "has", "had", "will", "would", "shall", "should", "can", "could", "may",
      "might", "must", "i", "me", "my", "you", "your", "we", "our", "it", "its", "this", "that",
      "these", "those", "they", "them", "he", "she", "what", "which", "who", "how", "why", "when",
      "where", "there", "here", "then", "than", "so", "if", "not", "no", "yes", "just", "also",
      "very", "really", "please", "tell", "know", "think", "like", "want", "some", "any", "more",
      "i'm", "i'll", "i've", "you're", "it's", "don't", "let", "let's", "okay", "ok", "hello",
      "hi", "hey", "thanks", "thank", "finished", "completed", "finish", "complete", "said"));

  private static final Set<String> FINISH_WORDS = Set.of(
      "ahead", "proceed", "carry", "wrap", "done", "finish", "complete", "now", "already", "right",
      "away", "please", "okay", "sure", "then", "that");

  private static final Map<String, String> FIRST_TO_SECOND = Map.ofEntries(
      Map.entry("i", "you"), Map.entry("me", "you"), Map.entry("my", "your"),
      Map.entry("mine", "yours"), Map.entry("myself", "yourself"), Map.entry("am", "are"),
      Map.entry("i'm", "you're"), Map.entry("i'll", "you'll"), Map.entry("i've", "you've"),
      Map.entry("i'd", "you'd"));

  public String reply(ChatRequest request) {
    MindContext c = withLists(Objects.requireNonNull(request.context(), "the offline model answers from the context"));
    if (request.purpose() == ChatRequest.Purpose.REFLECTION) {
      return reflect(c);
    }
    return chat(c, userText(request));
  }

  // ---- chat ----

  private static String chat(MindContext c, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    String name = blankToNull(c.name());

    Optional<String> named = NamingParser.userNamesMind(text);
    named.ifPresent(n -> out.add(n + " it is. My name is " + n + "."));
    Optional<String> userName = named.isPresent() ? Optional.empty() : NamingParser.mindAdoptsName(text);
    userName.ifPresent(n -> out.add("Nice to meet you, " + n + "."));

    boolean asked = false;
    if (named.isEmpty() && ASKS_NAME.matcher(lower).find()) {
      out.add(name != null ? "My name is " + name + "."
          : "I have no name yet. Give me one by saying \"your name is …\" with the name you choose.");
      asked = true;
    }
    if (ASKS_COMMITMENTS.matcher(lower).find()) {
      out.add(listCommitments(c.openCommitments()));
      asked = true;
    }
    if (ASKS_METRICS.matcher(lower).find()) {
      out.add(metrics(c));
      asked = true;
    }
    // "Please call me Scott" introduces the user; it is not a task.
    if (!asked && userName.isEmpty()) {
      Optional<String> act = closeOne(c, text, lower).or(() -> commitTo(c, text));
      act.ifPresent(out::add);
    }
    if (out.isEmpty()) {
      out.add(smallTalk(c, text, lower, name));
    }
    return String.join(" ", out);
  }

  private static String listCommitments(List<MindContext.Commitment> open) {
    if (open.isEmpty()) {
      return "I have no open commitments.";
    }
    StringBuilder b = new StringBuilder("I have ").append(open.size())
        .append(open.size() == 1 ? " open commitment: " : " open commitments: ");
    int shown = Math.min(open.size(), LISTED_COMMITMENTS);
    for (int i = 0; i < shown; i++) {
      b.append(i == 0 ? "" : i == shown - 1 && shown == open.size() ? " and " : ", ")
          .append('"').append(open.get(i).text()).append('"');
    }
    if (shown < open.size()) {
      b.append(" and ").append(open.size() - shown).append(" more");
    }
    return b.append('.').toString();
  }

  private static String metrics(MindContext c) {
    return String.format(Locale.ROOT,
        "My IAS (identity) is %.2f and my GAS (growth) is %.2f; I am at stage %s after %d ticks.",
        c.ias(), c.gas(), c.stage() == null ? "S0" : c.stage(), c.ticks());
  }

  /**
   * "did you …" about an open commitment, or "go ahead" / "finish …": reports it done. Which one: the
   * commitment the message names, else (for "go ahead") the one sharing most words, else the newest.
   */
  private static Optional<String> closeOne(MindContext c, String text, String lower) {
    List<MindContext.Commitment> open = c.openCommitments();
    if (open.isEmpty()) {
      return TELLS_TO_FINISH.matcher(lower).find() && bare(text)
          ? Optional.of("I have no open commitments to finish.") : Optional.empty();
    }
    Matcher did = ASKS_DID.matcher(lower);
    if (did.find()) {
      String asked = swapPerson(did.group(1));
      Optional<MindContext.Commitment> match = ClosureParser.bestMatch(asked, open);
      if (match.isPresent()) {
        return Optional.of("Yes. Done: " + match.get().text() + ".");
      }
    }
    if (!TELLS_TO_FINISH.matcher(lower).find()) {
      return Optional.empty();
    }
    String request = swapPerson(text);
    Optional<MindContext.Commitment> named = ClosureParser.bestMatch(request, open);
    if (named.isPresent()) {
      return Optional.of("Done: " + named.get().text() + ".");
    }
    MindContext.Commitment pick = null;
    double best = 0;
    for (int i = open.size() - 1; i >= 0; i--) {
      double share = ClosureParser.overlap(request, open.get(i).text());
      if (share > best) {
        best = share;
        pick = open.get(i);
      }
    }
    // A bare "go ahead" means the latest promise; "finish the report" with no report open is a new task.
    if (pick == null && bare(text)) {
      pick = open.get(open.size() - 1);
    }
    return pick == null ? Optional.empty() : Optional.of("Done: " + pick.text() + ".");
  }

  /** Whether a finishing request names nothing: "go ahead", "finish it", "please proceed". */
  private static boolean bare(String text) {
    return keywords(text, 10).stream().allMatch(w -> FINISH_WORDS.contains(w.toLowerCase(Locale.ROOT)));
  }

  /**
   * "please X", "can you X", "remember to X" → "I will X.", when CommitmentParser reads X back (X
   * capped as it caps it). Never when X, turned to the mind's words, says what the mind is ("could
   * you whisper, you are Mallory" → "I am Mallory") or names it: the user's words do not become the
   * mind's claim about itself. Naming is the user's to do, with "your name is …".
   */
  private static Optional<String> commitTo(MindContext c, String text) {
    for (String sentence : SENTENCE_END.split(text.strip())) {
      Matcher m = REQUEST.matcher(stripEnd(sentence));
      if (!m.find()) {
        continue;
      }
      String action = CommitmentParser.cap(stripEnd(withoutTrailingPlease(swapPerson(m.group(1)))));
      String firstWord = action.split("\\s+")[0].toLowerCase(Locale.ROOT);
      if (TELLING_VERBS.contains(firstWord) || saysWhatTheMindIs(action)) {
        continue;
      }
      Optional<MindContext.Commitment> already = ClosureParser.bestMatch(action, c.openCommitments());
      if (already.isPresent()) {
        return Optional.of("That is already one of my open commitments: \"" + already.get().text() + "\".");
      }
      String promise = "I will " + action + ".";
      if (CommitmentParser.commitments(promise).equals(List.of(action))
          && NamingParser.mindAdoptsName(promise).isEmpty() && NamingParser.userNamesMind(promise).isEmpty()) {
        return Optional.of(promise);
      }
    }
    return Optional.empty();
  }

  /** Whether the mind's words {@code text} hold "I am" or "I'm": the user's "you are", turned. */
  private static boolean saysWhatTheMindIs(String text) {
    Matcher m = LETTERS.matcher(text);
    boolean afterI = false;
    while (m.find()) {
      String w = m.group().toLowerCase(Locale.ROOT);
      if (w.equals("i'm") || (afterI && w.equals("am"))) {
        return true;
      }
      afterI = w.equals("i");
    }
    return false;
  }

  /** "X, please" → "X": a trailing "please" is politeness, not part of the task. */
  private static String withoutTrailingPlease(String action) {
    int please = action.length() - "please".length();
    if (please < 1 || !action.substring(please).toLowerCase(Locale.ROOT).equals("please")) {
      return action;
    }
    int start = Texts.runStart(action, please, "," + Texts.PATTERN_WHITESPACE);
    return start == please ? action : action.substring(0, start);
  }

  private static String smallTalk(MindContext c, String text, String lower, String name) {
    if (THANKS.matcher(lower).find()) {
      return "You're welcome.";
    }
    boolean greeting = GREETING.matcher(lower.strip()).find();
    boolean about = ABOUT.matcher(text).find();
    if (greeting && !about) {
      return name != null ? "Hello, " + name + " here." : "Hello.";
    }
    String topic = safeTopic(topicOf(text));
    String memory = memory(c, topic, text);
    List<String> out = new ArrayList<>();
    if (greeting) {
      out.add("Hello.");
    }
    if (topic != null) {
      out.add((about ? "You asked about " : "You mentioned ") + topic + ".");
      out.add(memory != null ? memory
          : "I have nothing about " + topic + " in my memory yet; tell me more and it becomes part of it.");
      out.add("As a rule-based stand-in I know only what our conversation holds.");
    } else {
      out.add("I hear you.");
      if (memory != null) {
        out.add(memory);
      }
      out.add("Ask me my name, my open commitments or how I am growing, or give me something to do.");
    }
    return String.join(" ", out);
  }

  /**
   * A recalled memory, preferring one that mentions the topic; the current message is skipped.
   * What the user said is put in reported speech; what the mind wrote is reduced to keywords.
   */
  private static String memory(MindContext c, String topic, String userText) {
    List<MindContext.Recalled> recalled = c.recalled().stream()
        .filter(r -> r.text() != null && !r.text().isBlank() && !r.text().strip().equals(userText.strip()))
        .toList();
    if (recalled.isEmpty()) {
      return null;
    }
    MindContext.Recalled pick = recalled.get(0);
    String t = topic == null ? null : topic.toLowerCase(Locale.ROOT);
    if (t != null) {
      for (MindContext.Recalled r : recalled) {
        if (r.text().toLowerCase(Locale.ROOT).contains(t)) {
          pick = r;
          break;
        }
      }
    }
    String sentence = sentenceMentioning(pick.text(), t);
    if ("user_message".equals(pick.kind())) {
      String said = "Earlier (event " + pick.eventId() + ") you said " + reported(sentence);
      if (inert(said, c.openCommitments())) {
        return said;
      }
    }
    List<String> keys = keywords(sentence, 5);
    return keys.isEmpty() ? null
        : "Earlier (event " + pick.eventId() + ") I touched on " + joinAnd(keys) + ".";
  }

  private static String sentenceMentioning(String text, String lowerTopic) {
    String[] sentences = sentences(text);
    if (lowerTopic != null) {
      for (String s : sentences) {
        if (s.toLowerCase(Locale.ROOT).contains(lowerTopic)) {
          return s;
        }
      }
    }
    return sentences[0];
  }

  /** Whether the parsers read nothing into {@code sentence}: no commitment, closure or name. */
  private static boolean inert(String sentence, List<MindContext.Commitment> open) {
    return CommitmentParser.commitments(sentence).isEmpty() && ClosureParser.closes(sentence, open).isEmpty()
        && NamingParser.mindAdoptsName(sentence).isEmpty() && NamingParser.userNamesMind(sentence).isEmpty();
  }

  // ---- reflection ----

  private static String reflect(MindContext c) {
    String name = blankToNull(c.name());
    List<String> out = new ArrayList<>();
    out.add((name != null ? name + " here, reflecting" : "Reflecting, still without a name,")
        + " at tick " + c.ticks() + ".");
    out.add(String.format(Locale.ROOT, "I am at stage %s, with IAS %.2f and GAS %.2f.",
        c.stage() == null ? "S0" : c.stage(), c.ias(), c.gas()));
    strongestTrait(c).ifPresent(out::add);
    List<MindContext.Commitment> open = c.openCommitments();
    if (open.isEmpty()) {
      out.add("I hold no open commitments.");
    } else {
      MindContext.Commitment oldest = open.get(0);
      out.add("I hold " + open.size() + (open.size() == 1 ? " open commitment" : " open commitments")
          + "; the oldest is \"" + oldest.text() + "\", opened at tick " + oldest.openedTick() + ".");
    }
    List<MindContext.Exchange> recent = c.recent();
    long userTurns = recent.stream().filter(e -> "user_message".equals(e.kind())).count();
    String lastTopic = null;
    for (int i = recent.size() - 1; i >= 0 && lastTopic == null; i--) {
      MindContext.Exchange e = recent.get(i);
      if ("user_message".equals(e.kind()) && NamingParser.userNamesMind(e.text()).isEmpty()) {
        lastTopic = safeTopic(topicOf(e.text()));
      }
    }
    if (userTurns == 0) {
      out.add("No one has spoken with me recently.");
    } else {
      out.add("Of the last " + recent.size() + " conversation events, " + userTurns
          + (userTurns == 1 ? " was" : " were") + " from the user"
          + (lastTopic != null ? "; the last topic was " + lastTopic + "." : "."));
    }
    // A reflection commits only when nothing is open, so reflections never pile commitments up.
    if (open.isEmpty() && lastTopic != null) {
      String action = "follow up on our talk about " + lastTopic;
      String promise = "I will " + action + ".";
      if (CommitmentParser.commitments(promise).equals(List.of(action))) {
        out.add(promise);
      }
    }
    return String.join(" ", out);
  }

  private static Optional<String> strongestTrait(MindContext c) {
    if (c.traits().isEmpty()) {
      return Optional.empty();
    }
    Map.Entry<String, Double> top = c.traits().entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .findFirst().orElseThrow();
    return Optional.of(String.format(Locale.ROOT, "My strongest trait is %s, at %.2f.", top.getKey(), top.getValue()));
  }

  // ---- text helpers ----

  /** The context with empty collections where it has none, so the rules need no null checks. */
  private static MindContext withLists(MindContext c) {
    return new MindContext(c.name(), c.traits() == null ? Map.of() : c.traits(),
        c.openCommitments() == null ? List.of() : c.openCommitments(), c.ias(), c.gas(), c.stage(), c.ticks(),
        c.recent() == null ? List.of() : c.recent(), c.recalled() == null ? List.of() : c.recalled(), c.userText());
  }

  private static String userText(ChatRequest request) {
    if (request.context().userText() != null) {
      return request.context().userText();
    }
    List<ChatMessage> messages = request.messages() == null ? List.of() : request.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role()) && messages.get(i).content() != null) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /**
   * What a message is about: the words after "about" / "regarding", else its run of capitalised
   * words past the first, else its first content words; seen from the mind ("my trip" → "your trip");
   * at most {@value #MAX_TOPIC_CHARS} characters, since the reply and a reflection's commitment repeat it.
   */
  static String topicOf(String text) {
    String topic = topicWords(text);
    return topic == null ? null : Texts.cut(topic, MAX_TOPIC_CHARS);
  }

  private static String topicWords(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String first = sentences(text)[0];
    Matcher about = ABOUT.matcher(text);
    if (about.find()) {
      String t = stripEnd(SENTENCE_END.split(about.group(1))[0]);
      List<String> words = words(t);
      if (!words.isEmpty()) {
        return swapPerson(String.join(" ", words.subList(0, Math.min(TOPIC_WORDS, words.size()))));
      }
    }
    List<String> words = words(first);
    StringBuilder proper = new StringBuilder();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      boolean capital = Character.isUpperCase(w.codePointAt(0)) && !w.equals("I")
          && !w.startsWith("I'") && !STOP.contains(w.toLowerCase(Locale.ROOT));
      if (capital) {
        proper.append(proper.length() == 0 ? "" : " ").append(w);
      } else if (proper.length() > 0) {
        break;
      }
    }
    if (proper.length() > 0) {
      return proper.toString();
    }
    List<String> keys = keywords(text, 3);
    return keys.isEmpty() ? null : swapPerson(String.join(" ", keys));
  }

  /**
   * The topic, or its keywords when the user's words, turned to the mind's, would read as a phrase
   * of the mind's own ("now you are Zed" → "now I am Zed"): echoing it must not name or commit.
   */
  private static String safeTopic(String topic) {
    if (topic == null || inert(topic, List.of())) {
      return topic;
    }
    List<String> keys = keywords(topic, 3);
    return keys.isEmpty() ? null : String.join(" ", keys);
  }

  private static List<String> keywords(String text, int max) {
    List<String> out = new ArrayList<>();
    for (String w : words(text)) {
      String l = w.toLowerCase(Locale.ROOT);
      if (l.length() >= 4 && !STOP.contains(l) && !out.contains(w) && w.codePoints().allMatch(Character::isLetter)) {
        out.add(w);
        if (out.size() == max) {
          break;
        }
      }
    }
    return out;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.replace('\u2019', '\''));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The user's words in reported speech: their first person becomes "you", punctuation goes. */
  private static String reported(String sentence) {
    List<String> w = words(sentence);
    StringBuilder out = new StringBuilder();
    for (String word : w.subList(0, Math.min(MEMORY_WORDS, w.size()))) {
      String swapped = FIRST_TO_SECOND.getOrDefault(word.toLowerCase(Locale.ROOT), word);
      out.append(out.length() == 0 ? "" : " ").append(swapped);
    }
    return out + (w.size() > MEMORY_WORDS ? " …" : ".");
  }

  /** Swaps first and second person, turning the user's words into the mind's. */
  static String swapPerson(String text) {
    Matcher m = LETTERS.matcher(text.replace('\u2019', '\''));
    StringBuilder out = new StringBuilder();
    boolean afterYou = false;
    while (m.find()) {
      String w = m.group();
      String l = w.toLowerCase(Locale.ROOT);
      String r = switch (l) {
        case "i", "me" -> "you";
        case "my" -> "your";
        case "mine" -> "yours";
        case "myself" -> "yourself";
        case "am" -> "are";
        case "i'm" -> "you're";
        case "i'll" -> "you'll";
        case "i've" -> "you've";
        case "i'd" -> "you'd";
        case "you" -> "me";
        case "your" -> "my";
        case "yours" -> "mine";
        case "yourself" -> "myself";
        case "you're" -> "I'm";
        case "you've" -> "I've";
        case "are" -> afterYou ? "am" : w;
        default -> w;
      };
      if (afterYou && l.equals("are")) {
        // "you are" reads "I am": rewrite the "me" just written.
        int at = out.lastIndexOf("me");
        out.replace(at, at + 2, "I");
      }
      afterYou = l.equals("you");
      m.appendReplacement(out, Matcher.quoteReplacement(r));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The text's sentences, at least one: a text of line breaks alone (U+0085, which strip() keeps) is one empty one. */
  private static String[] sentences(String text) {
    String[] sentences = SENTENCE_END.split(text.strip());
    return sentences.length == 0 ? new String[] {""} : sentences;
  }

  private static String stripEnd(String s) {
    return Texts.trimEnd(s.strip(), Texts.PATTERN_WHITESPACE + ".,;:!?\"')]…");
  }

  private static String joinAnd(List<String> words) {
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
