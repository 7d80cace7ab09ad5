package dev.pmm.model;

import java.util.function.Consumer;

/** A language model that streams its reply and can be stopped. */
public interface ChatModel {

  /**
   * Starts a reply. Each token goes to {@code onToken}, in order, on the caller's Vert.x context;
   * the call's {@link ChatCall#reply()} completes with the whole text, or fails with a
   * {@link ModelException}.
   */
  ChatCall start(ChatRequest request, Consumer<String> onToken);

  /** A short description for logs and /health, e.g. "offline" or "openai gpt-4o-mini at https://…". */
  String describe();
}
