package dev.pmm.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiChunkTest {

  @Test
  void contentAndFinishReasonAreRead() {
    assertEquals(new OpenAiChunk("Hel", null),
        OpenAiChunk.parse("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}"));
    assertEquals(new OpenAiChunk("", "stop"), OpenAiChunk.parse("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}"));
  }

  @Test
  void chunksWithoutTextAreEmpty() {
    assertEquals(new OpenAiChunk("", null), OpenAiChunk.parse("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}"));
    assertEquals(new OpenAiChunk("", null), OpenAiChunk.parse("{\"choices\":[{\"delta\":{\"content\":null}}]}"));
    assertEquals(new OpenAiChunk("", null), OpenAiChunk.parse("{\"choices\":[],\"usage\":{\"total_tokens\":9}}"));
    assertEquals(new OpenAiChunk("", "length"), OpenAiChunk.parse("{\"choices\":[{\"finish_reason\":\"length\"}]}"));
  }

  @Test
  void eachMalformedShapeIsNamed() {
    assertMalformed("{not json", "not JSON");
    assertMalformed("[1,2]", "not a JSON object");
    assertMalformed("{\"object\":\"chat.completion.chunk\"}", "\"choices\" array");
    assertMalformed("{\"choices\":[\"x\"]}", "choices[0] is not an object");
    assertMalformed("{\"choices\":[{\"delta\":\"x\"}]}", "delta is not an object");
    assertMalformed("{\"choices\":[{\"delta\":{\"content\":5}}]}", "content is not a string");
    assertMalformed("{\"choices\":[{\"delta\":{},\"finish_reason\":1}]}", "finish_reason is not a string");
  }

  @Test
  void anErrorInsideTheStreamIsTheServers() {
    ModelException e = assertThrows(ModelException.class,
        () -> OpenAiChunk.parse("{\"error\":{\"message\":\"model is overloaded\",\"type\":\"server_error\"}}"));
    assertEquals("upstream_error", e.reason());
    assertTrue(e.getMessage().contains("model is overloaded"), e.getMessage());
  }

  @Test
  void longDataIsQuotedShort() {
    ModelException e = assertThrows(ModelException.class, () -> OpenAiChunk.parse("x".repeat(5000)));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  private static void assertMalformed(String data, String says) {
    ModelException e = assertThrows(ModelException.class, () -> OpenAiChunk.parse(data));
    assertEquals("malformed_chunk", e.reason());
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }
}
