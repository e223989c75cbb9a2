package dev.boxoffice.local.aws.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Holds a decoded request body until it is verified: in memory up to 8 MiB (a part of most SDKs' multipart
 * uploads), in a file of the spool folder beyond, so a 5 GB PutObject does not need 5 GB of heap. Writes to the file
 * pause the request while the file's queue is full.
 */
final class BodySpool {

  private static final int MEMORY_LIMIT = 8 * 1024 * 1024;

  private final Vertx vertx;
  private final Path directory;
  private final HttpServerRequest request;
  private Buffer memory = Buffer.buffer();
  private Future<AsyncFile> file;
  private String filePath;
  private AsyncFile readBack;
  private long length;

  BodySpool(Vertx vertx, Path directory, HttpServerRequest request) {
    this.vertx = vertx;
    this.directory = directory;
    this.request = request;
  }

  void append(Buffer bytes) {
    length += bytes.length();
    if (file == null && memory.length() + bytes.length() <= MEMORY_LIMIT) {
      memory.appendBuffer(bytes);
      return;
    }
    if (file == null) {
      request.pause();
      Buffer spilled = memory.appendBuffer(bytes);
      memory = null;
      file = vertx.fileSystem().createTempFile(directory.toString(), "upload", ".part", (String) null)
          .compose(path -> {
            filePath = path;
            return vertx.fileSystem().open(path, new OpenOptions().setWrite(true));
          })
          .compose(opened -> opened.write(spilled).map(opened))
          .onSuccess(opened -> request.resume());
      return;
    }
    file.onSuccess(opened -> {
      opened.write(bytes);
      if (opened.writeQueueFull()) {
        request.pause();
        opened.drainHandler(drained -> request.resume());
      }
    });
  }

  long length() {
    return length;
  }

  /** The body, if it was small enough to stay in memory. */
  Optional<Buffer> inMemory() {
    return file == null ? Optional.of(memory) : Optional.empty();
  }

  /** Waits until every byte is written; the spool is then ready to be sent. */
  Future<Void> finish() {
    return file == null ? Future.succeededFuture() : file.compose(AsyncFile::flush).mapEmpty();
  }

  /** Sends the body as the request's content, with its Content-Length. */
  Future<HttpClientResponse> sendTo(HttpClientRequest forwarded) {
    forwarded.putHeader("Content-Length", String.valueOf(length));
    if (file == null) {
      return forwarded.send(memory);
    }
    return file.compose(AsyncFile::close)
        .compose(closed -> vertx.fileSystem().open(filePath, new OpenOptions().setRead(true)))
        .compose(opened -> {
          readBack = opened;
          return forwarded.send(opened);
        });
  }

  /** Deletes the spool file, if the body needed one. */
  void discard() {
    memory = null;
    if (file == null) {
      return;
    }
    Future<Void> writerClosed = file.transform(opened -> opened.succeeded()
        ? opened.result().close().transform(ignored -> Future.succeededFuture())
        : Future.succeededFuture());
    Future<Void> readerClosed = readBack == null ? Future.succeededFuture()
        : readBack.close().transform(ignored -> Future.succeededFuture());
    Future.join(writerClosed, readerClosed).onComplete(closed -> {
      if (filePath != null) {
        vertx.fileSystem().delete(filePath);
      }
    });
  }
}
