package dev.pmm.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The directory holding the ledger's HSQLDB files, checked before HSQLDB opens it: HSQLDB itself
 * reports a read-only directory as a failure to acquire its lock, and a full disk as a failure of
 * whatever statement first needs a file.
 */
public final class DataDir {
  private DataDir() {}

  /** A data dir that cannot hold the ledger, said in the operator's words. */
  public static final class Unusable extends IllegalStateException {
    Unusable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final String PROBE = ".pmm-write-probe";
  private static final int PROBE_BYTES = 64 * 1024;
  private static final String FILE_URL = "jdbc:hsqldb:file:";

  /** The directory of an HSQLDB file database ({@code jdbc:hsqldb:file:/x/pmm;...}), or null for any other URL. */
  public static Path of(String jdbcUrl) {
    if (!jdbcUrl.startsWith(FILE_URL)) {
      return null;
    }
    String path = jdbcUrl.substring(FILE_URL.length());
    int semicolon = path.indexOf(';');
    if (semicolon >= 0) {
      path = path.substring(0, semicolon);
    }
    return Path.of(path).toAbsolutePath().normalize().getParent();
  }

  /**
   * Creates the directory if it is missing and writes, syncs and deletes a small file in it, so
   * that a directory that cannot take the ledger's writes is refused before anything is opened.
   */
  public static void prepare(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new Unusable("the data dir " + dir + " is not a directory (a file of that name is in the way)", null);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new Unusable("cannot create the data dir " + dir + ": " + fileInTheWay(dir).map(f -> f + " is a file, not a directory")
          .orElse(reason(e)), e);
    }
    Path probe = dir.resolve(PROBE);
    try {
      boolean created = false;
      try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        created = true;
        ByteBuffer zeros = ByteBuffer.allocate(PROBE_BYTES);
        while (zeros.hasRemaining()) {
          channel.write(zeros);
        }
        channel.force(true);
      } finally {
        if (created) {
          Files.deleteIfExists(probe);
        }
      }
    } catch (IOException e) {
      throw unusable(dir, e);
    }
  }

  /** Bytes this process may still write on the disk holding {@code dir}, or -1 when that cannot be told. */
  public static long usableBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static Unusable unusable(Path dir, IOException e) {
    String why = reason(e);
    return switch (StorageFaults.classify(e)) {
      case DISK_FULL, FILE_TOO_LARGE -> new Unusable("the disk holding the data dir " + dir
          + " is full: a test write failed (" + why + "); free space on it and start again", e);
      case READ_ONLY -> new Unusable("the data dir " + dir + " is not writable: " + why
          + "; the ledger needs to write there (check the mount and the permissions)", e);
      case OTHER -> new Unusable("cannot write in the data dir " + dir + ": " + why, e);
    };
  }

  private static Optional<Path> fileInTheWay(Path dir) {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? Optional.empty() : Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static String reason(IOException e) {
    if (e instanceof AccessDeniedException denied) {
      return "Permission denied (" + denied.getFile() + ")";
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return exists.getFile() + " exists and is not a directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + (fs.getFile() != null ? " (" + fs.getFile() + ")" : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
