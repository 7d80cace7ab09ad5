package dev.pmm.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real storage faults for tests: a size-limited tmpfs gives a real "No space left on device", a
 * read-only bind mount a real "Read-only file system". Both need root and mount(8); where they are
 * missing the test is skipped, saying what is missing.
 */
public final class Mounts {
  private Mounts() {}

  private static String unavailable;
  private static boolean probed;

  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Skips the calling test, naming what is missing, unless this JVM can mount a tmpfs. */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(unavailable() == null, () -> "skipped: " + unavailable());
  }

  private static synchronized String unavailable() {
    if (!probed) {
      probed = true;
      unavailable = probe();
    }
    return unavailable;
  }

  private static String probe() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return "tmpfs and bind mounts are Linux; this is " + System.getProperty("os.name");
    }
    if (!isRoot()) {
      return "mounting a size-limited tmpfs needs root (this JVM runs as another user)";
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("pmm-mount-probe");
      String out = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString());
      if (out != null) {
        return "mount -t tmpfs is not allowed here (" + out.trim() + "); a container needs CAP_SYS_ADMIN";
      }
      run("umount", dir.toString());
      return null;
    } catch (IOException e) {
      return "mount(8) could not be run: " + e.getMessage();
    } finally {
      if (dir != null) {
        dir.toFile().delete();
      }
    }
  }

  /** Mounts a tmpfs of {@code size} (as mount says it: 48m) on {@code dir}. */
  public static void tmpfs(Path dir, String size) throws IOException {
    Files.createDirectories(dir);
    check(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()), "mount tmpfs on " + dir);
  }

  /** Makes {@code dir} read-only for this process; the returned undo makes it writable again. */
  public static AutoCloseable readOnly(Path dir) throws IOException {
    if (!isRoot()) {
      // Root ignores permissions, anyone else does not.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
      return () -> Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assumeAvailable();
    check(run("mount", "--bind", dir.toString(), dir.toString()), "bind-mount " + dir);
    String remount = run("mount", "-o", "remount,bind,ro", dir.toString());
    if (remount != null) {
      unmount(dir);
      check(remount, "remount " + dir + " read-only");
    }
    return () -> unmount(dir);
  }

  public static void unmount(Path dir) throws IOException {
    if (run("umount", dir.toString()) != null) {
      // Still busy (a process that has not quite gone): detach it now, it goes when it is free.
      check(run("umount", "-l", dir.toString()), "umount " + dir);
    }
  }

  /** Writes zeros to {@code file} until {@code bytes} are written or the disk is full; returns what was written. */
  public static long fill(Path file, long bytes) throws IOException {
    long written = 0;
    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (written < bytes) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - written));
        try {
          written += channel.write(zeros);
        } catch (IOException full) {
          break;
        }
      }
    }
    return written;
  }

  public static long usable(Path dir) throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }

  private static void check(String failure, String what) throws IOException {
    if (failure != null) {
      throw new IOException(what + " failed: " + failure);
    }
  }

  /** Runs a command; null when it succeeded, else what it printed. */
  private static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    try {
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "timed out";
      }
      return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
