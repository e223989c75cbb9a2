package dev.boxoffice.local.stepfunctions;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/** The AWS SDK's Step Functions client as the tests point it at the local API: loopback, us-east-1, any key. */
final class LocalSfnClients {

  private LocalSfnClients() {
  }

  /** A builder for the API on {@code port}; a test adds what it needs (retries, timeouts) and builds. */
  static SfnClientBuilder at(int port) {
    return SfnClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(UrlConnectionHttpClient.builder());
  }
}
