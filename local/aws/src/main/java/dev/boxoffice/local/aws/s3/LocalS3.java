package dev.boxoffice.local.aws.s3;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 for the local stack on 127.0.0.1, path-style: {@link S3Front} on the advertised port checks signatures,
 * checksums and the callers' permissions as S3 does, and S3Proxy, embedded in-process on a loopback port of
 * its own, stores objects as files under {@code <dataDir>/s3}. Upload bodies wait in {@code <dataDir>/s3-incoming}
 * while they are verified. {@link #start} blocks until both listen: call it from a worker thread, not an event loop.
 */
public final class LocalS3 implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);
  private static final long START_TIMEOUT_SECONDS = 30;

  private final S3Proxy proxy;
  private final Vertx vertx;
  private final URI endpoint;

  private LocalS3(S3Proxy proxy, Vertx vertx, URI endpoint) {
    this.proxy = proxy;
    this.vertx = vertx;
    this.endpoint = endpoint;
  }

  /** Starts S3 on {@code port} of 127.0.0.1 (0 picks a free port), knowing only the administrator's key. */
  public static LocalS3 start(Path dataDir, int port) throws IOException {
    return start(dataDir, port, LocalIam.administratorOnly(LocalCredentials.ACCOUNT, LocalCredentials.REGION,
        LocalCredentials.ADMINISTRATOR));
  }

  /** Starts S3 on {@code port} of 127.0.0.1 (0 picks a free port), authorizing every call with {@code iam}. */
  public static LocalS3 start(Path dataDir, int port, LocalIam iam) throws IOException {
    Path storage = Files.createDirectories(dataDir.resolve("s3"));
    Path incoming = emptied(Files.createDirectories(dataDir.resolve("s3-incoming")));
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(storage.toAbsolutePath().toString()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IOException("S3Proxy did not start", e);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    S3Front front = new S3Front(new SigV4(iam, Clock.systemUTC()), iam, port, proxy.getPort(), incoming);
    try {
      vertx.deployVerticle(front).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      stopQuietly(proxy, vertx);
      throw new IOException("the S3 endpoint did not start on port " + port, e);
    }
    URI endpoint = URI.create("http://127.0.0.1:" + front.actualPort());
    LOG.info("S3 listening at {} (objects under {})", endpoint, storage);
    return new LocalS3(proxy, vertx, endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  public void stop() {
    stopQuietly(proxy, vertx);
  }

  @Override
  public void close() {
    stop();
  }

  private static void stopQuietly(S3Proxy proxy, Vertx vertx) {
    try {
      vertx.close().await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the S3 endpoint did not stop cleanly", e);
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("S3Proxy did not stop cleanly", e);
    }
  }

  /** Deletes the bodies a stopped process left half-received. */
  private static Path emptied(Path directory) throws IOException {
    try (Stream<Path> leftovers = Files.list(directory)) {
      for (Path leftover : leftovers.toList()) {
        Files.deleteIfExists(leftover);
      }
    }
    return directory;
  }
}
