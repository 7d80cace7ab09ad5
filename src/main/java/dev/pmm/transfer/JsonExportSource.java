package dev.pmm.transfer;

import dev.pmm.ledger.PyJson;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A PMM JSON export (an array of event objects), streamed: the bytes of one element at a time are
 * found by a small scanner that knows strings and nesting, then parsed by {@link PyJson} (Python's
 * json rules), so memory holds one element, never the file.
 */
final class JsonExportSource implements LedgerSource {

  /** The largest single element read; a larger one is refused rather than buffered. */
  static final int MAX_ELEMENT_BYTES = 64 * 1024 * 1024;

  private final InputStream in;
  private long offset; // of the next byte read
  private int peeked = -2;
  private long index;
  private long previousId;
  private boolean started;
  private boolean ended;

  JsonExportSource(Path file) throws IOException {
    this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
  }

  private int peek() throws IOException {
    if (peeked == -2) {
      peeked = in.read();
    }
    return peeked;
  }

  private int read() throws IOException {
    int b = peek();
    peeked = -2;
    if (b >= 0) {
      offset++;
    }
    return b;
  }

  private int skipWhitespace() throws IOException {
    int b;
    while ((b = peek()) == ' ' || b == '\n' || b == '\r' || b == '\t') {
      read();
    }
    return b;
  }

  @Override
  public SourceRow next() throws IOException, NotALedger {
    if (ended) {
      return null;
    }
    if (!started) {
      int b = skipWhitespace();
      if (b != '[') {
        throw new NotALedger("not a PMM JSON export: expected '[' at byte offset " + offset
            + (b < 0 ? " (the file is empty)" : ""));
      }
      read();
      started = true;
      if (skipWhitespace() == ']') {
        read();
        end();
        return null;
      }
    } else {
      int b = skipWhitespace();
      if (b == ']') {
        read();
        end();
        return null;
      }
      if (b != ',') {
        throw new NotALedger("after element " + (index - 1) + ": expected ',' or ']' at byte offset " + offset
            + (b < 0 ? " (the file ends there: truncated)" : ""));
      }
      read();
      skipWhitespace();
    }
    long start = offset;
    String where = "element " + index + " at byte offset " + start;
    if (peek() != '{') {
      throw new NotALedger(where + ": expected an event object"
          + (peek() < 0 ? " (the file ends there: truncated)" : ""));
    }
    byte[] bytes = scanObject(where);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new NotALedger(where + ": not valid UTF-8");
    }
    Object parsed;
    try {
      parsed = PyJson.parse(text);
    } catch (PyJson.SyntaxError e) {
      long at = start + text.substring(0, Math.min(e.offset(), text.length())).getBytes(StandardCharsets.UTF_8).length;
      throw new NotALedger(where + ": " + e.getMessage().replaceAll(" at offset \\d+$", "") + " at byte offset " + at);
    } catch (IllegalArgumentException e) {
      throw new NotALedger(where + ": " + e.getMessage());
    }
    Map<?, ?> map = (Map<?, ?>) parsed;
    SourceRow row = LedgerSource.row(index, start, previousId, map.get("id"), map.get("ts"), map.get("kind"),
        map.get("content"), map.get("meta"), map.get("prev_hash"), map.get("hash"));
    index++;
    previousId = row.id();
    return row;
  }

  /** The bytes from this '{' to its matching '}', strings and escapes respected. */
  private byte[] scanObject(String where) throws IOException, NotALedger {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    while (true) {
      int b = read();
      if (b < 0) {
        throw new NotALedger(where + ": the file ends at byte offset " + offset + " inside the element (truncated)");
      }
      buf.write(b);
      if (buf.size() > MAX_ELEMENT_BYTES) {
        throw new NotALedger(where + ": element larger than " + MAX_ELEMENT_BYTES + " bytes");
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
        if (depth > PyJson.MAX_DEPTH) {
          throw new NotALedger(where + ": nesting deeper than " + PyJson.MAX_DEPTH + " at byte offset " + (offset - 1));
        }
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth == 0) {
          return buf.toByteArray();
        }
        if (depth < 0) {
          throw new NotALedger(where + ": unbalanced '" + (char) b + "' at byte offset " + (offset - 1));
        }
      }
    }
  }

  private void end() throws IOException, NotALedger {
    ended = true;
    int b = skipWhitespace();
    if (b >= 0) {
      throw new NotALedger("extra data after the array at byte offset " + offset);
    }
  }

  @Override
  public String format() {
    return "json";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
