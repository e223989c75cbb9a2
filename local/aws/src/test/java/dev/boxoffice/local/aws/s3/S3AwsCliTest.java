package dev.boxoffice.local.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.ClientScript;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI v2 from Debian as a second client of the local S3, at its default settings. */
class S3AwsCliTest {

  private static final Path AWS_CLI = Path.of("/usr/bin/aws");

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
  @DisplayName("scripts/s3-cli-client.sh copies small and multipart objects, puts and gets each checksum the CLI "
      + "offers, and sees a wrong checksum refused")
  void awsCliAtDefaults() throws Exception {
    assertThat(AWS_CLI).as("the AWS CLI from Debian is the second client: apt-get install -y awscli").isExecutable();

    String output = ClientScript.run(List.of("bash", "local/aws/scripts/s3-cli-client.sh"),
        Map.of("S3_ENDPOINT", s3.endpoint().toString(), "AWS_CLI", AWS_CLI.toString()),
        "s3-cli-client: all checks passed with aws-cli/");

    assertThat(output).contains("PASS: S3 put-object with a wrong CRC32 raises BadDigest and stores nothing");
  }
}
