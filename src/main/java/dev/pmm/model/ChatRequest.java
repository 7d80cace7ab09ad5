package dev.pmm.model;

import dev.pmm.mind.MindContext;

import java.util.List;

/**
 * What a model is asked: the messages a language model reads, and the same state as a structured
 * context, which the offline model answers from.
 */
public record ChatRequest(Purpose purpose, List<ChatMessage> messages, MindContext context) {

  public enum Purpose {
    /** A reply to the user's last message. */
    CHAT,
    /** A reflection written during an autonomy tick. */
    REFLECTION
  }
}
