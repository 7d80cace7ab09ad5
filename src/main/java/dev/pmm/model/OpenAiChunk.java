package dev.pmm.model;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One streamed chat-completions chunk, read from the JSON of an SSE data line:
 * {@code {"choices": [{"delta": {"content": "..."}, "finish_reason": null}]}}.
 *
 * @param content      the text this chunk adds ("" when it adds none: the role-only first chunk,
 *                     a usage-only last chunk with no choices, a tool-call delta)
 * @param finishReason "stop", "length", ... once the model has finished, else null
 */
public record OpenAiChunk(String content, String finishReason) {

  private static final int QUOTE_MAX = 120;

  /**
   * Reads one data line. Throws {@link ModelException} "malformed_chunk" saying what was wrong, or
   * "upstream_error" when the server reports an error inside the stream (OpenAI and Ollama both
   * do that once the 200 status has been sent).
   */
  public static OpenAiChunk parse(String data) {
    Object parsed;
    try {
      parsed = Json.decodeValue(data);
    } catch (DecodeException e) {
      throw malformed("a data line that is not JSON", data);
    }
    if (!(parsed instanceof JsonObject json)) {
      throw malformed("a data line that is not a JSON object", data);
    }
    if (json.getValue("error") != null) {
      Object error = json.getValue("error");
      String message = error instanceof JsonObject e && e.getValue("message") instanceof String m ? m : String.valueOf(error);
      throw new ModelException("upstream_error", "the server reported an error mid-stream: " + quote(message));
    }
    if (!(json.getValue("choices") instanceof JsonArray choices)) {
      throw malformed("a chunk without a \"choices\" array", data);
    }
    if (choices.isEmpty()) {
      return new OpenAiChunk("", null);
    }
    if (!(choices.getValue(0) instanceof JsonObject choice)) {
      throw malformed("a chunk whose choices[0] is not an object", data);
    }
    Object finish = choice.getValue("finish_reason");
    if (finish != null && !(finish instanceof String)) {
      throw malformed("a chunk whose finish_reason is not a string", data);
    }
    Object delta = choice.getValue("delta");
    if (delta == null) {
      return new OpenAiChunk("", (String) finish);
    }
    if (!(delta instanceof JsonObject d)) {
      throw malformed("a chunk whose choices[0].delta is not an object", data);
    }
    Object content = d.getValue("content");
    if (content != null && !(content instanceof String)) {
      throw malformed("a chunk whose choices[0].delta.content is not a string", data);
    }
    return new OpenAiChunk(content == null ? "" : (String) content, (String) finish);
  }

  private static ModelException malformed(String what, String data) {
    return new ModelException("malformed_chunk", "the server sent " + what + ": " + quote(data));
  }

  static String quote(String text) {
    String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= QUOTE_MAX ? oneLine : oneLine.substring(0, QUOTE_MAX) + "…";
  }
}
