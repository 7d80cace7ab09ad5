package dev.pmm.hostile;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.support.TestLedger;
import dev.pmm.web.WebVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile /ws frames against a real server, over a raw socket: each gets an error frame and the
 * same connection serves the next good request, or (where the protocol layer must) a close code and
 * a new connection does; the ledger never changes.
 */
@ExtendWith(VertxExtension.class)
class WebSocketHostileTest {

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private int port;
  private long lastId;
  private int probes;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)));
    port = web.port();
    for (int i = 0; i < 3; i++) {
      TestLedger.append(vertx, "user_message", "hello " + i, new JsonObject());
    }
    lastId = Hostile.lastId(vertx);
  }

  private RawWebSocket open() throws IOException {
    RawWebSocket ws = new RawWebSocket(port);
    ws.nextJson("hello");
    return ws;
  }

  /** A good request on this connection is answered. */
  private void probe(RawWebSocket ws, String after) throws IOException {
    String id = "probe-" + (++probes);
    ws.sendText(new JsonObject().put("type", "history").put("id", id).put("before", 1000).put("limit", 1).encode());
    while (true) {
      JsonObject frame = ws.nextJson("history");
      if (id.equals(frame.getValue("id"))) {
        assertEquals(1, frame.getJsonArray("events").size(), after);
        return;
      }
    }
  }

  private JsonObject errorFor(RawWebSocket ws, byte[] payload, int opcode) throws IOException {
    ws.send(opcode, payload, true);
    return ws.nextJson("error");
  }

  private void assertError(RawWebSocket ws, String frame, String code, String mentions) throws IOException {
    String what = frame.length() > 80 ? frame.substring(0, 80) + "…" : frame;
    JsonObject error;
    try {
      error = errorFor(ws, frame.getBytes(StandardCharsets.UTF_8), RawWebSocket.TEXT);
    } catch (AssertionError e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
    assertEquals(code, error.getString("code"), what + ": " + error.encode());
    assertTrue(error.getString("message").contains(mentions), what + ": \"" + error.getString("message") + "\" names " + mentions);
    probe(ws, what);
  }

  private static String chat(Object text) {
    return new JsonObject().put("type", "chat").put("id", "x").put("text", text).encode();
  }

  @Test
  void malformedUnknownMissingAndMistyped() throws IOException {
    try (RawWebSocket ws = open()) {
      String[][] cases = {
          {"", "bad_request", "JSON"},
          {"{not json", "bad_request", "JSON"},
          {"{\"type\": \"chat\", \"text\": \"hi\"", "bad_request", "JSON"},
          {"null", "bad_request", "JSON"},
          {"42", "bad_request", "JSON"},
          {"\"chat\"", "bad_request", "JSON"},
          {"[1,2]", "bad_request", "JSON"},
          {"{}", "bad_request", "type"},
          {"{\"type\": 5}", "bad_request", "type"},
          {"{\"type\": null}", "bad_request", "type"},
          {"{\"type\": [\"chat\"]}", "bad_request", "type"},
          {"{\"type\": \"dance\"}", "bad_request", "unknown type"},
          {"{\"type\": \"CHAT\", \"text\": \"hi\"}", "bad_request", "unknown type"},
          {"{\"type\": \"" + "t".repeat(10_000) + "\"}", "bad_request", "unknown type"},
          {"{\"type\": \"chat\"}", "bad_request", "text"},
          {chat(5), "bad_request", "text"},
          {chat(null), "bad_request", "text"},
          {chat(""), "bad_request", "text"},
          {chat(" \t\n "), "bad_request", "text"},
          {chat(new JsonArray().add("hi")), "bad_request", "text"},
          {chat(new JsonObject().put("text", "hi")), "bad_request", "text"},
          {chat(true), "bad_request", "text"},
          {chat("x".repeat(16_001)), "too_large", "16000"},
          {"{\"type\": \"chat\", \"id\": {\"a\": 1}, \"text\": \"hi\"}", "bad_request", "id"},
          {"{\"type\": \"chat\", \"id\": [1], \"text\": \"hi\"}", "bad_request", "id"},
          {"{\"type\": \"chat\", \"id\": true, \"text\": \"hi\"}", "bad_request", "id"},
          {"{\"type\": \"chat\", \"text\": \"\\ud800 lone\"}", "bad_request", "Unicode"},
          {"{\"type\": \"stop\"}", "bad_request", "turn"},
          {"{\"type\": \"stop\", \"turn\": 5}", "bad_request", "turn"},
          {"{\"type\": \"stop\", \"turn\": \"t-nobody\"}", "bad_request", "turn"},
          {"{\"type\": \"history\", \"before\": \"10\"}", "bad_request", "before"},
          {"{\"type\": \"history\", \"before\": 0}", "bad_request", "before"},
          {"{\"type\": \"history\", \"before\": -5}", "bad_request", "before"},
          {"{\"type\": \"history\", \"limit\": 0}", "bad_request", "limit"},
          {"{\"type\": \"history\", \"limit\": 201}", "bad_request", "limit"},
          {"{\"type\": \"history\", \"limit\": 1e30}", "bad_request", "limit"},
          {"{\"type\": \"history\", \"limit\": 4294967297}", "bad_request", "limit"},
          {"{\"type\": \"history\", \"limit\": \"many\"}", "bad_request", "limit"},
          {"{\"type\": \"history\", \"before\": 1.5e300}", "bad_request", "before"},
      };
      for (String[] c : cases) {
        assertError(ws, c[0], c[1], c[2]);
      }
    }
    Hostile.assertLedger(vertx, lastId, "after malformed frames");
  }

  @Test
  void binaryAndControlFrames() throws IOException {
    try (RawWebSocket ws = open()) {
      JsonObject error = errorFor(ws, new byte[] {0, 1, 2, (byte) 0xff}, RawWebSocket.BINARY);
      assertEquals("bad_request", error.getString("code"));
      assertTrue(error.getString("message").contains("binary"), error.encode());
      probe(ws, "binary frame");
      error = errorFor(ws, chat("a chat in a binary frame").getBytes(StandardCharsets.UTF_8), RawWebSocket.BINARY);
      assertEquals("bad_request", error.getString("code"));
      probe(ws, "JSON in a binary frame");
      ws.send(9, "ping".getBytes(StandardCharsets.UTF_8), true);
      probe(ws, "a ping");
    }
    Hostile.assertLedger(vertx, lastId, "after binary frames");
  }

  @Test
  void oversizedFramesAndDeepNesting() throws IOException {
    try (RawWebSocket ws = open()) {
      assertError(ws, chat("x".repeat(64 * 1024)), "too_large", "65536");
      assertError(ws, chat("x".repeat(1024 * 1024)), "too_large", "65536");
      // 100,000 levels are 200 KB of brackets: over the frame limit, never parsed.
      assertError(ws, Hostile.nestedArrays(100_000), "too_large", "65536");
      assertError(ws, "{\"type\":\"chat\",\"text\":\"hi\",\"x\":" + Hostile.nestedArrays(100_000) + "}", "too_large", "65536");
      // Under the frame limit but deeper than the parser's 1,000 levels.
      assertError(ws, Hostile.nestedArrays(30_000), "bad_request", "JSON");
      assertError(ws, "{\"type\":\"chat\",\"text\":\"hi\",\"x\":" + Hostile.nestedArrays(30_000) + "}", "bad_request", "JSON");
      // A message in fragments whose whole is over the frame limit.
      byte[] part = "x".repeat(40_000).getBytes(StandardCharsets.UTF_8);
      ws.send(RawWebSocket.TEXT, "{\"type\":\"chat\",\"text\":\"".getBytes(StandardCharsets.UTF_8), false);
      ws.send(RawWebSocket.CONTINUATION, part, false);
      ws.send(RawWebSocket.CONTINUATION, part, false);
      ws.send(RawWebSocket.CONTINUATION, "\"}".getBytes(StandardCharsets.UTF_8), true);
      assertEquals("too_large", ws.nextJson("error").getString("code"));
      probe(ws, "fragments over the limit");
    }
    // Past Vert.x's 2 MB cap the protocol layer closes the connection (1009: message too big).
    try (RawWebSocket ws = open()) {
      try {
        ws.sendText(chat("x".repeat(3 * 1024 * 1024)));
      } catch (IOException e) {
        // the server may close before the whole frame is written
      }
      int code = ws.awaitClose();
      assertTrue(code == 1009 || code == -1, "a frame over 2 MB closes the connection, code " + code);
    }
    try (RawWebSocket ws = open()) {
      probe(ws, "a new connection after the 2 MB close");
    }
    Hostile.assertLedger(vertx, lastId, "after oversized frames");
  }

  @Test
  void invalidUtf8InATextFrame() throws IOException {
    byte[] head = "{\"type\":\"chat\",\"id\":\"u\",\"text\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, payload, 0, head.length);
    System.arraycopy(bad, 0, payload, head.length, bad.length);
    System.arraycopy(tail, 0, payload, head.length + bad.length, tail.length);
    try (RawWebSocket ws = open()) {
      ws.send(RawWebSocket.TEXT, payload, true);
      RawWebSocket.Frame answer = ws.next("error");
      if (answer != null && answer.opcode() == RawWebSocket.TEXT) {
        JsonObject error = new JsonObject(answer.text());
        assertEquals("bad_request", error.getString("code"), error.encode());
        assertTrue(error.getString("message").contains("UTF-8"), error.encode());
        probe(ws, "invalid UTF-8");
      } else {
        assertEquals(1007, answer == null ? -1 : answer.closeCode(), "invalid UTF-8 closes with 1007");
      }
    }
    try (RawWebSocket ws = open()) {
      probe(ws, "a new connection after invalid UTF-8");
    }
    Hostile.assertLedger(vertx, lastId, "after invalid UTF-8");
  }

  @Test
  void fiveThousandGarbageFramesAsFastAsPossible() throws IOException {
    try (RawWebSocket ws = open()) {
      String[] garbage = {"{nope", "[]", "{\"type\":\"dance\"}", "{\"type\":\"chat\"}", "\u0000\u0001", "{\"type\":\"stop\",\"turn\":1}"};
      for (int i = 0; i < 5_000; i++) {
        ws.sendText(garbage[i % garbage.length]);
      }
      int errors = 0;
      while (errors < 5_000) {
        JsonObject frame = ws.nextJson("error");
        assertEquals("bad_request", frame.getString("code"), frame.encode());
        errors++;
      }
      probe(ws, "after 5,000 garbage frames");
    }
    Hostile.assertLedger(vertx, lastId, "after 5,000 garbage frames");
  }

  @Test
  void controlCharactersAreKeptExactlyOrRefused() throws IOException {
    String text = "ctrl \u0000 \u0001 \u0007 \b \u001b[31m red \u007f \u0085 \u2028 \u2029 \ufeff \ud83d\ude00 end";
    try (RawWebSocket ws = open()) {
      ws.sendText(new JsonObject().put("type", "chat").put("id", "c").put("text", text).encode());
      JsonObject done = ws.nextJson("turn_done");
      assertEquals("c", done.getValue("id"));
    }
    // Exactly the one turn (user and assistant message), with the text stored as sent.
    Hostile.assertLedger(vertx, lastId + 2, "after a turn with control characters");
    JsonObject page = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", lastId).put("limit", 1));
    assertEquals(text, page.getJsonArray("events").getJsonObject(0).getString("content"), "the text is stored as sent");
    List<String> kinds = new ArrayList<>();
    TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", lastId).put("limit", 10))
        .getJsonArray("events").forEach(e -> kinds.add(((JsonObject) e).getString("kind")));
    assertEquals(List.of("user_message", "assistant_message"), kinds);
  }
}
