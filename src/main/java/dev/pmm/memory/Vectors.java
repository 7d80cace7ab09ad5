package dev.pmm.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Vector arithmetic and the storage form of a vector (float32 little-endian, base64 on the bus). */
public final class Vectors {
  private Vectors() {}

  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
    }
    // Four running sums: independent additions the CPU can overlap (a recall scans the whole window).
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (int end = a.length - 3; i < end; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (double) s0 + s1 + s2 + s3;
  }

  public static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  /** Cosine similarity; 0 when either vector is zero (an empty text is like nothing). */
  public static double cosine(float[] a, float[] b) {
    double na = norm(a);
    double nb = norm(b);
    return na == 0 || nb == 0 ? 0 : dot(a, b) / (na * nb);
  }

  /** Scales in place to unit length (a zero vector stays zero); returns the same array. */
  public static float[] normalise(float[] v) {
    double n = norm(v);
    if (n > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / n);
      }
    }
    return v;
  }

  public static byte[] toBytes(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      buf.putFloat(f);
    }
    return buf.array();
  }

  /** @throws IllegalArgumentException when the bytes are not whole float32 values */
  public static float[] fromBytes(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("a vector of " + bytes.length + " bytes is not whole float32 values");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.length / Float.BYTES];
    for (int i = 0; i < v.length; i++) {
      v[i] = buf.getFloat();
    }
    return v;
  }

  public static String toBase64(float[] v) {
    return Base64.getEncoder().encodeToString(toBytes(v));
  }

  /** @throws IllegalArgumentException when the text is not base64 of whole float32 values */
  public static float[] fromBase64(String text) {
    return fromBytes(Base64.getDecoder().decode(text));
  }
}
