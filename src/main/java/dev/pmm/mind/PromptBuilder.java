package dev.pmm.mind;

import dev.pmm.model.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The messages a language model reads, built from one MindContext. */
public final class PromptBuilder {
  private PromptBuilder() {}

  public static List<ChatMessage> chat(MindContext context) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(systemState(context)
        + "\nAnswer as this mind, briefly. When you promise to do something, say \"I will ...\"; "
        + "when you have done it, say \"Done: ...\"."));
    for (MindContext.Exchange e : context.recent()) {
      if (e.kind().equals("user_message")) {
        messages.add(ChatMessage.user(e.text()));
      } else if (e.kind().equals("assistant_message")) {
        messages.add(ChatMessage.assistant(e.text()));
      }
    }
    messages.add(ChatMessage.user(context.userText()));
    return messages;
  }

  public static List<ChatMessage> reflection(MindContext context) {
    StringBuilder recent = new StringBuilder();
    for (MindContext.Exchange e : context.recent()) {
      recent.append(e.kind().equals("user_message") ? "User: " : e.kind().equals("reflection") ? "Reflection: " : "You: ")
          .append(e.text()).append('\n');
    }
    return List.of(
        ChatMessage.system(systemState(context) + "\nWrite a short reflection on the recent conversation and "
            + "your growth. If there is one concrete next step, end with \"I will ...\"."),
        ChatMessage.user(recent.length() == 0 ? "(no conversation yet)" : recent.toString()));
  }

  /** The state block every prompt starts with. */
  static String systemState(MindContext c) {
    StringBuilder sb = new StringBuilder("[SYSTEM STATE — from ledger]\n");
    sb.append("Identity: ").append(c.name() == null ? "(no name yet)" : c.name()).append('\n');
    sb.append("Traits: ");
    String separator = "";
    for (Map.Entry<String, Double> t : c.traits().entrySet()) {
      sb.append(separator).append(Character.toUpperCase(t.getKey().charAt(0)))
          .append('=').append(String.format(Locale.ROOT, "%.2f", t.getValue()));
      separator = ", ";
    }
    sb.append(String.format(Locale.ROOT, "%nIAS=%.2f, GAS=%.2f, Stage=%s, ticks=%d%n", c.ias(), c.gas(), c.stage(), c.ticks()));
    sb.append("Open commitments:\n");
    if (c.openCommitments().isEmpty()) {
      sb.append("  (none)\n");
    }
    for (MindContext.Commitment commitment : c.openCommitments()) {
      sb.append("  - ").append(commitment.text()).append('\n');
    }
    if (!c.recalled().isEmpty()) {
      sb.append("Recalled memories:\n");
      for (MindContext.Recalled r : c.recalled()) {
        sb.append("  - [").append(r.eventId()).append("] ").append(r.text()).append('\n');
      }
    }
    return sb.toString();
  }
}
