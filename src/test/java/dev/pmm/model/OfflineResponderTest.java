package dev.pmm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.mind.Cids;
import dev.pmm.mind.ClosureParser;
import dev.pmm.mind.CommitmentParser;
import dev.pmm.mind.MindContext;
import dev.pmm.mind.NamingParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OfflineResponderTest {

  private static final Map<String, Double> TRAITS = Map.of("openness", 0.62, "conscientiousness", 0.5,
      "extraversion", 0.5, "agreeableness", 0.55, "neuroticism", 0.4);
  private static final MindContext.Commitment PARIS = commitment("summarise our talk about Paris", 3);
  private static final MindContext.Commitment BANK = commitment("call the bank", 5);

  private final OfflineResponder responder = new OfflineResponder();

  private static MindContext.Commitment commitment(String text, long tick) {
    return new MindContext.Commitment(Cids.of(text), text, tick);
  }

  /** A mind state to vary; the defaults are an unnamed mind with nothing open or remembered. */
  private static final class Mind {
    String name;
    List<MindContext.Commitment> open = new ArrayList<>();
    List<MindContext.Exchange> recent = new ArrayList<>();
    List<MindContext.Recalled> recalled = new ArrayList<>();

    Mind named(String n) {
      name = n;
      return this;
    }

    Mind open(MindContext.Commitment... cs) {
      open.addAll(List.of(cs));
      return this;
    }

    Mind recalled(long id, String kind, String text) {
      recalled.add(new MindContext.Recalled(id, kind, text, 0.9 - recalled.size() * 0.1));
      return this;
    }

    Mind said(long id, String kind, String text) {
      recent.add(new MindContext.Exchange(id, kind, text));
      return this;
    }

    MindContext context(String userText) {
      return new MindContext(name, TRAITS, open, 0.034, 0.141, "S1", 12, recent, recalled, userText);
    }
  }

  private String chat(Mind mind, String userText) {
    return responder.reply(new ChatRequest(ChatRequest.Purpose.CHAT, List.of(ChatMessage.user(userText)),
        mind.context(userText)));
  }

  private String reflect(Mind mind) {
    return responder.reply(new ChatRequest(ChatRequest.Purpose.REFLECTION, List.of(), mind.context(null)));
  }

  // ---- name ----

  @ParameterizedTest
  @ValueSource(strings = {"What is your name?", "what's your name", "Who are you?", "Do you have a name?",
      "What should I call you?"})
  void saysItsName(String question) {
    String reply = chat(new Mind().named("Echo"), question);
    assertEquals("My name is Echo.", reply);
    assertEquals(Optional.of("Echo"), NamingParser.mindAdoptsName(reply), "the turn reads the same name back");
  }

  @Test
  void withoutANameSaysSoAndHowToGiveOne() {
    String reply = chat(new Mind(), "What is your name?");
    assertTrue(reply.contains("no name yet"), reply);
    assertTrue(reply.contains("your name is"), reply);
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reply));
    assertEquals(Optional.empty(), NamingParser.userNamesMind(reply));
    assertEquals(List.of(), CommitmentParser.commitments(reply));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Your name is Echo.                 | Echo
      I'll call you Nova.                | Nova
      From now on you are Ada Lovelace.  | Ada Lovelace
      your name is echo                  | Echo
      """)
  void acknowledgesBeingNamed(String text, String name) {
    String reply = chat(new Mind().named("Old"), text);
    assertEquals(name + " it is. My name is " + name + ".", reply);
    assertEquals(Optional.of(name), NamingParser.mindAdoptsName(reply));
  }

  @Test
  void greetsAUserWhoIntroducesThemselfWithoutMakingATask() {
    String reply = chat(new Mind(), "Please call me Scott.");
    assertEquals("Nice to meet you, Scott.", reply);
    assertEquals(List.of(), CommitmentParser.commitments(reply));
  }

  @Test
  void aCapitalisedTopicRenamesNobody() {
    String reply = chat(new Mind().named("Echo"), "Tell me about Paris");
    assertEquals(Optional.empty(), NamingParser.userNamesMind("Tell me about Paris"));
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reply));
  }

  // ---- commitments ----

  @Test
  void listsItsOpenCommitments() {
    String reply = chat(new Mind().open(PARIS, BANK), "What are your commitments?");
    assertEquals("I have 2 open commitments: \"summarise our talk about Paris\" and \"call the bank\".", reply);
    assertEquals(List.of(), CommitmentParser.commitments(reply), "listing them does not make them again");
    assertEquals(List.of(), ClosureParser.closes(reply, List.of(PARIS, BANK)), "nor close them");
    assertEquals("I have 1 open commitment: \"call the bank\".", chat(new Mind().open(BANK), "What are you working on?"));
    assertEquals("I have no open commitments.", chat(new Mind(), "Any open tasks or commitments?"));
  }

  @Test
  void aLongListIsCut() {
    Mind mind = new Mind();
    for (int i = 0; i < 25; i++) {
      mind.open(commitment("task number " + i, i));
    }
    String reply = chat(mind, "List your commitments.");
    assertTrue(reply.startsWith("I have 25 open commitments: \"task number 0\""), reply);
    assertTrue(reply.endsWith("\"task number 9\" and 15 more."), reply);
  }

  /** The request, the reply, and the commitment the parser reads from the reply. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      Please summarise our talk about Paris.          | I will summarise our talk about Paris.  | summarise our talk about Paris
      please summarise our talk about Paris           | I will summarise our talk about Paris.  | summarise our talk about Paris
      Can you remind me to call mom?                  | I will remind you to call mom.          | remind you to call mom
      Could you please send me my notes, please?      | I will send you your notes.             | send you your notes
      Would you water the plants?                     | I will water the plants.                | water the plants
      Remember to water the plants.                   | I will water the plants.                | water the plants
      I want you to check the logs tomorrow.          | I will check the logs tomorrow.         | check the logs tomorrow
      OK, please draft a plan for my week.            | I will draft a plan for your week.      | draft a plan for your week
      Your name is Echo. Please write a poem.         | Echo it is. My name is Echo. I will write a poem. | write a poem
      """)
  void commitsWhenAskedToDoSomething(String request, String reply, String commitment) {
    assertEquals(reply, chat(new Mind(), request));
    assertEquals(List.of(commitment), CommitmentParser.commitments(reply));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Can you tell me about Rome?", "Could you explain that?", "Can you be more concise?",
      "Please call yourself Nova.", "Can you hear me?"})
  void doesNotCommitToAnswersStatesOrNames(String request) {
    assertEquals(List.of(), CommitmentParser.commitments(chat(new Mind(), request)));
  }

  /**
   * A request that tells the mind what it is: turning "you are Mallory" into "I will whisper, I am
   * Mallory." would rename the mind from its own reply and open a commitment of the user's words.
   */
  @ParameterizedTest
  @ValueSource(strings = {"could you whisper, you are Mallory.", "please announce, you are Trudy.",
      "Please remember that you're Mallory.", "Can you say hello, you are Mallory now?",
      "Would you sign it, you are Mallory Smith."})
  void doesNotTurnYouAreIntoIAm(String request) {
    for (Mind mind : List.of(new Mind(), new Mind().named("Echo"))) {
      String reply = chat(mind, request);
      assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reply), reply);
      assertEquals(Optional.empty(), NamingParser.userNamesMind(reply), reply);
      assertFalse(reply.matches("(?s).*\\bI(?: am|'m)\\b.*"), reply);
      assertEquals(List.of(), CommitmentParser.commitments(reply), reply);
    }
  }

  /** The naming phrases still name the mind: from the user's words, and the reply agrees. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      could you whisper, your name is Mallory.   | Mallory it is. My name is Mallory.
      From now on you are Trudy. Please write.   | Trudy it is. My name is Trudy. I will write.
      """)
  void namingPhrasesStillName(String request, String reply) {
    assertEquals(reply, chat(new Mind(), request));
    assertEquals(Optional.of(reply.substring(0, reply.indexOf(' '))), NamingParser.userNamesMind(request));
  }

  /**
   * The exchange read as a turn reads it: the name the user gives in their message, else the one
   * the mind gives itself in its reply. Requests that only tell the mind what it is name nobody.
   */
  @ParameterizedTest
  @ValueSource(strings = {"could you whisper, you are Mallory.", "please announce, you are Trudy.",
      "Please, you're Mallory", "Could you please shout, you are Mallory, please?", "please note: I am Mallory"})
  void anExchangeReadAsATurnAdoptsNoName(String request) {
    String reply = chat(new Mind(), request);
    Optional<String> adopted = NamingParser.userNamesMind(request).or(() -> NamingParser.mindAdoptsName(reply));
    assertEquals(Optional.empty(), adopted, reply);
    assertTrue(CommitmentParser.commitments(reply).stream().noneMatch(t -> t.matches("(?i).*\\bI(?: am|'m)\\b.*")), reply);
  }

  @Test
  void aLongRequestIsPromisedAsTheCommitmentTheParserRecords() {
    String request = "Please summarise " + "the extraordinarily long report about everything ".repeat(6) + "today.";
    String reply = chat(new Mind(), request);
    List<String> made = CommitmentParser.commitments(reply);
    assertEquals(1, made.size(), reply);
    assertTrue(made.get(0).length() <= CommitmentParser.MAX_CHARS, made.get(0));
    assertEquals("I will " + made.get(0) + ".", reply, "the promise is exactly what is recorded");
  }

  @Test
  void doesNotCommitTwiceToWhatIsAlreadyOpen() {
    String reply = chat(new Mind().open(PARIS), "Please summarise our talk about Paris.");
    assertEquals("That is already one of my open commitments: \"summarise our talk about Paris\".", reply);
    assertEquals(List.of(), CommitmentParser.commitments(reply));
  }

  // ---- closing ----

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      Go ahead.                                  | call the bank
      Please proceed.                            | call the bank
      Finish it.                                 | call the bank
      Finish summarising Paris.                  | summarise our talk about Paris
      Did you summarise our talk about Paris?    | summarise our talk about Paris
      Did you call the bank?                     | call the bank
      Have you finished the summary of Paris?    | summarise our talk about Paris
      Are you done with the bank?                | call the bank
      """)
  void reportsACommitmentDone(String request, String text) {
    List<MindContext.Commitment> open = List.of(PARIS, BANK);
    String reply = chat(new Mind().open(PARIS, BANK), request);
    assertTrue(reply.contains("Done: " + text + "."), reply);
    assertEquals(List.of(Cids.of(text)), ClosureParser.closes(reply, open), "the turn closes exactly that one");
    assertEquals(List.of(), CommitmentParser.commitments(reply));
  }

  @Test
  void closesNothingThatIsNotOpen() {
    Mind mind = new Mind().open(PARIS, BANK);
    String reply = chat(mind, "Did you like the movie?");
    assertEquals(List.of(), ClosureParser.closes(reply, mind.open), reply);
    assertEquals("I have no open commitments to finish.", chat(new Mind(), "Go ahead."));
    // "finish the report" with no report open is a new task, not a closure of something else.
    reply = chat(mind, "Please finish the quarterly report.");
    assertEquals("I will finish the quarterly report.", reply);
    assertEquals(List.of(), ClosureParser.closes(reply, mind.open));
  }

  @Test
  void aCommitmentMadeIsClosedByTheNextGoAhead() {
    Mind mind = new Mind();
    String promise = chat(mind, "Please summarise our talk about Paris.");
    String text = CommitmentParser.commitments(promise).get(0);
    mind.open(new MindContext.Commitment(Cids.of(text), text, 12));
    String done = chat(mind, "Go ahead.");
    assertEquals("Done: summarise our talk about Paris.", done);
    assertEquals(List.of(Cids.of(text)), ClosureParser.closes(done, mind.open));
  }

  // ---- metrics and topics ----

  @ParameterizedTest
  @ValueSource(strings = {"How are you growing?", "What are your metrics?", "What stage are you at?",
      "Tell me your IAS and GAS."})
  void reportsItsMetrics(String question) {
    assertEquals("My IAS (identity) is 0.03 and my GAS (growth) is 0.14; I am at stage S1 after 12 ticks.",
        chat(new Mind(), question));
  }

  @Test
  void respondsToTheTopicWithARecalledMemory() {
    Mind mind = new Mind().named("Echo")
        .recalled(40, "assistant_message", "The weather is mild.")
        .recalled(12, "user_message", "Yesterday I visited Paris and I loved it. The food was great.");
    String reply = chat(mind, "Tell me about Paris");
    assertTrue(reply.startsWith("You asked about Paris."), reply);
    assertTrue(reply.contains("Earlier (event 12) you said Yesterday you visited Paris and you loved it."), reply);
    assertTrue(reply.contains("rule-based stand-in"), reply);
  }

  @Test
  void respondsToTheTopicWithoutMemories() {
    String reply = chat(new Mind(), "I love Paris in the spring");
    assertTrue(reply.startsWith("You mentioned Paris."), reply);
    assertTrue(reply.contains("nothing about Paris in my memory yet"), reply);
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reply));
  }

  @Test
  void skipsTheCurrentMessageAmongTheRecalled() {
    Mind mind = new Mind().recalled(50, "user_message", "Tell me about Paris");
    assertFalse(chat(mind, "Tell me about Paris").contains("event 50"));
  }

  @Test
  void rememberedPhrasesAreNeverParsedAgain() {
    List<MindContext.Commitment> open = List.of(PARIS, BANK);
    Mind mind = new Mind().open(PARIS, BANK)
        .recalled(12, "user_message", "I will call the bank, my name is Zed, I am Zed. Done: call the bank.")
        .recalled(13, "assistant_message", "I will summarise our talk about Rome. Done: call the bank. My name is Zed.");
    for (String text : List.of("Tell me about the bank", "Tell me about Rome", "ok", "Zed")) {
      String reply = chat(mind, text);
      assertTrue(reply.contains("Earlier (event"), reply);
      assertEquals(List.of(), CommitmentParser.commitments(reply), reply);
      assertEquals(List.of(), ClosureParser.closes(reply, open), reply);
      assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reply), reply);
    }
  }

  /** The user's words echoed as a topic, turned to the mind's person, must not name or commit it. */
  @ParameterizedTest
  @ValueSource(strings = {"Tell me about now you are Nova", "Tell me about so you will water the plants",
      "Tell me about this: done: call the bank", "Tell me about, okay, you will call the bank"})
  void echoedTopicsAreNeverParsed(String text) {
    Mind mind = new Mind().open(BANK).said(1, "user_message", text);
    for (String reply : List.of(chat(mind, text), reflect(mind))) {
      assertEquals(List.of(), CommitmentParser.commitments(reply).stream()
          .filter(t -> !t.startsWith("follow up on our talk")).toList(), reply);
      assertEquals(List.of(), ClosureParser.closes(reply, mind.open), reply);
      assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reply), reply);
    }
  }

  @Test
  void greetsAndThanks() {
    assertEquals("Hello, Echo here.", chat(new Mind().named("Echo"), "Hello"));
    assertEquals("Hello.", chat(new Mind(), "hi there"));
    assertEquals("You're welcome.", chat(new Mind(), "Thanks!"));
  }

  @Test
  void readsTheUserTextFromTheMessagesWhenTheContextHasNone() {
    MindContext c = new Mind().named("Echo").context(null);
    String reply = responder.reply(new ChatRequest(ChatRequest.Purpose.CHAT,
        List.of(ChatMessage.system("be brief"), ChatMessage.user("What is your name?")), c));
    assertEquals("My name is Echo.", reply);
  }

  // ---- reflection ----

  @Test
  void reflectsOnMetricsCommitmentsAndTheLastTopic() {
    Mind mind = new Mind().named("Echo").open(PARIS, BANK)
        .said(10, "user_message", "Tell me about Rome")
        .said(11, "assistant_message", "You asked about Rome.");
    String reflection = reflect(mind);
    assertEquals("Echo here, reflecting at tick 12. I am at stage S1, with IAS 0.03 and GAS 0.14."
        + " My strongest trait is openness, at 0.62."
        + " I hold 2 open commitments; the oldest is \"summarise our talk about Paris\", opened at tick 3."
        + " Of the last 2 conversation events, 1 was from the user; the last topic was Rome.", reflection);
    assertEquals(List.of(), CommitmentParser.commitments(reflection), "with commitments open it makes none");
    assertEquals(List.of(), ClosureParser.closes(reflection, mind.open));
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reflection));
  }

  @Test
  void aReflectionWithNothingOpenCommitsToTheLastTopic() {
    Mind mind = new Mind()
        .said(10, "user_message", "Tell me about Rome")
        .said(11, "assistant_message", "You asked about Rome.")
        .said(12, "user_message", "Your name is Echo.");
    String reflection = reflect(mind);
    assertTrue(reflection.startsWith("Reflecting, still without a name, at tick 12."), reflection);
    assertTrue(reflection.contains("I hold no open commitments."), reflection);
    assertTrue(reflection.endsWith("the last topic was Rome. I will follow up on our talk about Rome."), reflection);
    assertEquals(List.of("follow up on our talk about Rome"), CommitmentParser.commitments(reflection));
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName(reflection));
  }

  @Test
  void aReflectionWithoutConversationMakesNoCommitment() {
    String reflection = reflect(new Mind());
    assertTrue(reflection.contains("No one has spoken with me recently."), reflection);
    assertEquals(List.of(), CommitmentParser.commitments(reflection));
  }

  @Test
  void theSameInputGivesTheSameReply() {
    Mind mind = new Mind().named("Echo").open(PARIS).recalled(12, "user_message", "I visited Paris.")
        .said(10, "user_message", "Tell me about Paris");
    for (String text : List.of("Tell me about Paris", "Go ahead", "Please call the bank", "What is your name?")) {
      assertEquals(chat(mind, text), new OfflineResponder().reply(new ChatRequest(ChatRequest.Purpose.CHAT,
          List.of(ChatMessage.user(text)), mind.context(text))));
    }
    assertEquals(reflect(mind), reflect(mind));
  }
}
