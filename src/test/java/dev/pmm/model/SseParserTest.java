package dev.pmm.model;

import dev.pmm.model.SseParser.Event;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseParserTest {

  private static List<Event> parseWhole(String stream) {
    SseParser parser = new SseParser();
    List<Event> events = new ArrayList<>(parser.feed(stream));
    events.addAll(parser.end());
    return events;
  }

  @Test
  void aBlankLineEndsEachEvent() {
    assertEquals(List.of(new Event(null, "a"), new Event(null, "b")), parseWhole("data: a\n\ndata: b\n\n"));
  }

  @Test
  void dataLinesAreJoinedWithNewlines() {
    assertEquals(List.of(new Event(null, "one\ntwo\n")), parseWhole("data: one\ndata:two\ndata\n\n"));
  }

  @Test
  void onlyOneSpaceAfterTheColonIsDropped() {
    assertEquals(List.of(new Event(null, " x ")), parseWhole("data:  x \n\n"));
  }

  @Test
  void commentsAndUnknownFieldsAreIgnored() {
    assertEquals(List.of(new Event("message", "x")),
        parseWhole(": keep-alive\nid: 7\nretry: 10\nevent: message\nfoo: bar\ndata: x\n\n: bye\n\n"));
  }

  @Test
  void anEventWithoutDataIsNotDispatched() {
    assertEquals(List.of(), parseWhole("event: ping\n\n: comment\n\n\n\n"));
  }

  @Test
  void crLfAndCrEndLinesToo() {
    List<Event> expected = List.of(new Event(null, "a"), new Event(null, "b"), new Event(null, "c"));
    assertEquals(expected, parseWhole("data: a\r\n\r\ndata: b\r\rdata: c\n\r\n"));
  }

  @Test
  void theDoneMarkerIsRecognised() {
    List<Event> events = parseWhole("data: {\"x\":1}\n\ndata: [DONE]\n\n");
    assertFalse(events.get(0).isDone());
    assertTrue(events.get(1).isDone());
  }

  @Test
  void theEndDispatchesAnEventWithoutItsBlankLine() {
    SseParser parser = new SseParser();
    assertEquals(List.of(new Event(null, "a")), parser.feed("data: a\n\ndata: b"));
    assertEquals(List.of(new Event(null, "b")), parser.end());
  }

  @Test
  void aLeadingByteOrderMarkIsSkipped() {
    assertEquals(List.of(new Event(null, "a")), parseWhole("\uFEFFdata: a\n\n"));
  }

  @Test
  void aRunawayLineIsRefused() {
    SseParser parser = new SseParser(64);
    assertThrows(SseParser.TooLargeException.class, () -> parser.feed("data: " + "x".repeat(100)));
  }

  @Test
  void aRunawayEventIsRefused() {
    SseParser parser = new SseParser(64);
    assertThrows(SseParser.TooLargeException.class, () -> parser.feed("data: xxxxxxxxxx\n".repeat(10)));
  }

  /** The same stream cut at random byte offsets (inside "\r\n" and inside UTF-8 characters too) parses the same. */
  @Test
  void randomChunkBoundariesChangeNothing() {
    StringBuilder stream = new StringBuilder(": hello\r\n");
    String[] ends = {"\n", "\r\n", "\r"};
    Random random = new Random(42);
    for (int i = 0; i < 40; i++) {
      String end = ends[i % 3];
      stream.append("data: {\"choices\":[{\"delta\":{\"content\":\"t").append(i).append(" é€😀\"}}]}").append(end);
      if (i % 5 == 0) {
        stream.append("data: second line").append(end);
      }
      stream.append(end);
    }
    stream.append("data: [DONE]\n\n");
    byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
    List<Event> expected = parseWhole(stream.toString());
    assertEquals(41, expected.size());
    assertEquals("{\"choices\":[{\"delta\":{\"content\":\"t0 é€😀\"}}]}\nsecond line", expected.get(0).data());

    for (int round = 0; round < 500; round++) {
      SseParser parser = new SseParser();
      List<Event> events = new ArrayList<>();
      int at = 0;
      while (at < bytes.length) {
        int size = 1 + random.nextInt(round % 2 == 0 ? 4 : 64);
        int to = Math.min(bytes.length, at + size);
        events.addAll(parser.feed(Arrays.copyOfRange(bytes, at, to)));
        at = to;
      }
      events.addAll(parser.end());
      assertEquals(expected, events, "round " + round);
    }
  }

  @Test
  void oneByteAtATime() {
    byte[] bytes = "data: a\r\n\r\ndata: ü\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    SseParser parser = new SseParser();
    List<Event> events = new ArrayList<>();
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    for (byte b : bytes) {
      events.addAll(parser.feed(new byte[] {b}));
    }
    events.addAll(parser.feed(none.toByteArray()));
    assertEquals(List.of(new Event(null, "a"), new Event(null, "ü")), events);
  }
}
