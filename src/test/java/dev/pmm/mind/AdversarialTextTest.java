package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.memory.HashEmbedder;
import dev.pmm.model.ChatMessage;
import dev.pmm.model.ChatRequest;
import dev.pmm.model.OfflineResponder;
import dev.pmm.support.AdversarialTexts;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything that reads the user's or the model's free text, on 16,000-character texts built to
 * make patterns backtrack: each must take time linear in the length (see {@link AdversarialTexts}).
 * These run on the event loop in a turn, so one slow text would stall every client.
 */
class AdversarialTextTest {

  private static final List<MindContext.Commitment> OPEN = List.of(
      new MindContext.Commitment(Cids.of("call the bank"), "call the bank", 1),
      new MindContext.Commitment(Cids.of("x"), "x", 2),
      new MindContext.Commitment(Cids.of("summarise our talk about Paris and review the notes"),
          "summarise our talk about Paris and review the notes", 3));

  private static final OfflineResponder RESPONDER = new OfflineResponder();
  private static final HashEmbedder EMBEDDER = new HashEmbedder();

  private static MindContext context(String userText, List<MindContext.Commitment> open, String remembered) {
    return new MindContext("Echo", Map.of("openness", 0.6), open, 0.1, 0.2, "S1", 7,
        List.of(new MindContext.Exchange(1, "user_message", remembered), new MindContext.Exchange(2, "assistant_message", remembered)),
        List.of(new MindContext.Recalled(1, "user_message", remembered, 0.9),
            new MindContext.Recalled(2, "assistant_message", remembered, 0.8)),
        userText);
  }

  private static String chat(String text, List<MindContext.Commitment> open) {
    return RESPONDER.reply(new ChatRequest(ChatRequest.Purpose.CHAT, List.of(ChatMessage.user(text)), context(text, open, text)));
  }

  static Stream<Arguments> readers() {
    return Stream.of(
        reader("Sentences.split", Sentences::split),
        reader("NamingParser.userNamesMind", NamingParser::userNamesMind),
        reader("NamingParser.mindAdoptsName", NamingParser::mindAdoptsName),
        reader("CommitmentParser.commitments", CommitmentParser::commitments),
        reader("Cids.of", Cids::of),
        reader("ClosureParser.closes", text -> ClosureParser.closes(text, OPEN)),
        reader("ClosureParser.bestMatch", text -> ClosureParser.bestMatch(text, OPEN)),
        reader("PromptBuilder.chat", text -> PromptBuilder.chat(context(text, OPEN, text))),
        reader("HashEmbedder.embed", EMBEDDER::embed),
        reader("OfflineResponder chat, nothing open", text -> chat(text, List.of())),
        reader("OfflineResponder chat, commitments open", text -> chat(text, OPEN)),
        reader("OfflineResponder reflection", text -> RESPONDER.reply(
            new ChatRequest(ChatRequest.Purpose.REFLECTION, List.of(), context(null, List.of(), text)))));
  }

  private static Arguments reader(String name, Function<String, ?> read) {
    return Arguments.of(name, read);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void takesLinearTimeOnAdversarialText(String name, Function<String, ?> read) {
    AdversarialTexts.assertLinear(name, read);
  }

  /** The turn that once held an event loop for 25-31 s, as a reply would see it too. */
  @Test
  void theReportedStallsAreGone() {
    for (String text : List.of("please " + "'".repeat(15_990) + "x", ")".repeat(15_990))) {
      long started = System.nanoTime();
      String reply = chat(text, OPEN);
      CommitmentParser.commitments(reply);
      ClosureParser.closes(reply, OPEN);
      NamingParser.mindAdoptsName(reply);
      NamingParser.userNamesMind(text);
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertTrue(ms < 2_000, "a whole turn's parsing took " + ms + " ms (it took 7-31 s before)");
    }
  }
}
