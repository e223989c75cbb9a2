package dev.boxoffice.local.aws.s3;

import dev.boxoffice.local.aws.LocalCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 for the local stack: S3Proxy embedded in-process on 127.0.0.1, path-style, SigV4 with the dummy
 * {@link LocalCredentials}, objects stored as files under {@code <dataDir>/s3}.
 * {@link #start} blocks until Jetty listens: call it from a worker thread, not an event loop.
 */
public final class LocalS3 implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

  private final BlobStoreContext blobStoreContext;
  private final S3Proxy proxy;
  private final URI endpoint;

  private LocalS3(BlobStoreContext blobStoreContext, S3Proxy proxy, URI endpoint) {
    this.blobStoreContext = blobStoreContext;
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts S3 on {@code port} of 127.0.0.1 (0 picks a free port). */
  public static LocalS3 start(Path dataDir, int port) throws IOException {
    Path storage = Files.createDirectories(dataDir.resolve("s3"));
    Properties properties = new Properties();
    properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, storage.toAbsolutePath().toString());
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
        .credentials(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)
        .overrides(properties)
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4,
            LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)
        .build();
    MalformedXmlGuard.install(proxy);
    try {
      proxy.start();
    } catch (Exception e) {
      context.close();
      throw new IOException("S3Proxy did not start on port " + port, e);
    }
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    LOG.info("S3 listening at {} (objects under {})", endpoint, storage);
    return new LocalS3(context, proxy, endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  public void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("S3Proxy did not stop cleanly", e);
    } finally {
      blobStoreContext.close();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
