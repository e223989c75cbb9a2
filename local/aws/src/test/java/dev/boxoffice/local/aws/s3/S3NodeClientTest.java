package dev.boxoffice.local.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.ClientScript;
import dev.boxoffice.local.aws.RepositoryFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK for JavaScript v3 as a second client of the local S3: it sends a CRC32 with every upload by default,
 * as boto3 and the AWS CLI do since 2025 (Debian's CLI predates that), so it checks what users' tools send.
 */
class S3NodeClientTest {

  @TempDir
  Path dataDir;

  private LocalS3 s3;

  @BeforeEach
  void start() throws Exception {
    s3 = LocalS3.start(dataDir, 0);
  }

  @AfterEach
  void stop() {
    s3.stop();
  }

  @Test
  @DisplayName("scripts/s3-node-client.mjs round-trips objects, small and multipart, with the JavaScript SDK's "
      + "default checksums, and a wrong checksum is refused")
  void javaScriptSdkAtDefaults() throws Exception {
    Path sdk = RepositoryFiles.root().resolve("local/aws/node_modules/@aws-sdk/client-s3");
    assertThat(sdk).as("npm ci in local/aws installs the JavaScript SDK (./boxoffice test runs it)").isDirectory();

    String output = ClientScript.run(List.of("node", "local/aws/scripts/s3-node-client.mjs"),
        Map.of("S3_ENDPOINT", s3.endpoint().toString()), "s3-node-client: all checks passed");

    assertThat(output).contains("sent x-amz-checksum-crc32");
  }
}
