package dev.pmm.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server-sent-events parser after the WHATWG rules, fed bytes in whatever pieces the network
 * delivers. Lines end in "\n", "\r\n" or "\r" (a "\r" at the end of one piece and a "\n" at the
 * start of the next are one line end); "data" lines are joined with "\n"; lines starting with ":"
 * are comments; a blank line ends an event. Lines are split on bytes and decoded only when whole,
 * so a UTF-8 character cut between two pieces comes out intact ("\r" and "\n" never occur inside a
 * multi-byte character). Not thread-safe: one parser per response.
 */
public final class SseParser {

  /** One event: {@code event} is the "event:" field (null when absent), {@code data} the joined data lines. */
  public record Event(String event, String data) {

    /** OpenAI's end-of-stream marker. */
    public boolean isDone() {
      return data.strip().equals("[DONE]");
    }
  }

  /** Thrown when a line or an event outgrows the limit: a broken upstream must not eat the heap. */
  public static final class TooLargeException extends RuntimeException {
    TooLargeException(String message) {
      super(message);
    }
  }

  public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;

  private final int maxEventBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType;
  /** A "\r" ended the last line; a "\n" right after it belongs to the same line end. */
  private boolean afterCr;
  private boolean started;

  public SseParser() {
    this(DEFAULT_MAX_EVENT_BYTES);
  }

  public SseParser(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /** Feeds the next piece of the stream; returns the events it completed, in order. */
  public List<Event> feed(byte[] bytes) {
    List<Event> events = new ArrayList<>();
    int from = 0;
    if (!started && bytes.length > 0) {
      from = skipBom(bytes);
    }
    for (int i = from; i < bytes.length; i++) {
      byte b = bytes[i];
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        afterCr = b == '\r';
        endLine(events);
      } else {
        line.write(b);
        if (line.size() > maxEventBytes) {
          throw new TooLargeException("a line longer than " + maxEventBytes + " bytes");
        }
      }
    }
    return events;
  }

  public List<Event> feed(String text) {
    return feed(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The stream has ended. Strictly, an event without its closing blank line is dropped; this
   * dispatches it, because some compatible servers close the connection right after the last data
   * line, and dropping it would make a complete reply look cut short.
   */
  public List<Event> end() {
    List<Event> events = new ArrayList<>();
    if (line.size() > 0) {
      endLine(events);
    }
    dispatch(events);
    return events;
  }

  private int skipBom(byte[] bytes) {
    // The first piece may be shorter than the BOM; SSE servers do not send one in practice, so
    // only a BOM wholly inside the first piece is skipped.
    started = true;
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      return 3;
    }
    return 0;
  }

  private void endLine(List<Event> events) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch(events);
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
        if (data.length() > maxEventBytes) {
          throw new TooLargeException("an event longer than " + maxEventBytes + " characters");
        }
      }
      case "event" -> eventType = value;
      default -> { } // id, retry and unknown fields mean nothing to a one-shot reply stream
    }
  }

  private void dispatch(List<Event> events) {
    if (hasData) {
      events.add(new Event(eventType, data.toString()));
    }
    data.setLength(0);
    hasData = false;
    eventType = null;
  }
}
