package dev.pmm.hostile;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A WebSocket client over a plain socket, so a test can send what no well-behaved client would. */
final class RawWebSocket implements AutoCloseable {

  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CONTINUATION = 0;
  static final int CLOSE = 8;

  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawWebSocket(int port) throws IOException {
    this(port, 0);
  }

  /** @param receiveBufferBytes this end's TCP receive buffer (0: the system's): small for a client that reads nothing */
  RawWebSocket(int port, int receiveBufferBytes) throws IOException {
    socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
  }

  void send(int opcode, byte[] payload, boolean fin) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      long len = payload.length;
      for (int i = 7; i >= 0; i--) {
        frame.write((int) (len >>> (8 * i)) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    frame.write(masked);
    out.write(frame.toByteArray());
    out.flush();
  }

  void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The next frame, or null when the server closed the TCP connection. */
  Frame read() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
    byte[] payload = in.readNBytes((int) len);
    if (mask != null) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
    }
    return new Frame(b0 & 0x0f, payload);
  }

  /** The next text frame of this type (skipping broadcasts), or the close frame if the server closes first. */
  Frame next(String type) throws IOException {
    List<String> skipped = new ArrayList<>();
    while (true) {
      Frame f;
      try {
        f = read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no " + type + " frame within 30 s; skipped " + skipped);
      }
      if (f != null && f.opcode() == TEXT && skipped.size() < 5) {
        skipped.add(f.text().length() > 200 ? f.text().substring(0, 200) : f.text());
      }
      if (f == null || f.opcode() == CLOSE) {
        return f;
      }
      if (f.opcode() == TEXT && type.equals(new JsonObject(f.text()).getString("type"))) {
        return f;
      }
    }
  }

  JsonObject nextJson(String type) throws IOException {
    Frame f = next(type);
    if (f == null || f.opcode() != TEXT) {
      throw new AssertionError("expected a " + type + " frame, the server closed" + (f == null ? "" : " with " + f.closeCode()));
    }
    return new JsonObject(f.text());
  }

  /** The close code the server sends, or -1 when it drops the connection without one. */
  int awaitClose() throws IOException {
    Frame close = awaitCloseFrame();
    return close == null ? -1 : close.closeCode();
  }

  /** Reads past every other frame to the server's close frame; null when it drops the connection without one. */
  Frame awaitCloseFrame() throws IOException {
    try {
      while (true) {
        Frame f = read();
        if (f == null || f.opcode() == CLOSE) {
          return f;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor closed within 30 s");
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
