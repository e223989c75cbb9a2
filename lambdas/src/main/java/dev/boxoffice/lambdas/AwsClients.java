package dev.boxoffice.lambdas;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the SDK clients a handler needs, once per container, from its environment: {@code AWS_REGION}, the
 * credentials Lambda puts in {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, and
 * an optional endpoint override per service ({@code BOXOFFICE_S3_ENDPOINT}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_SNS_ENDPOINT}, {@code BOXOFFICE_SFN_ENDPOINT}, {@code BOXOFFICE_SES_ENDPOINT},
 * {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}; unset in AWS). The credentials are read from the given environment
 * rather than the process's, because the local Lambda runner passes them that way.
 */
public final class AwsClients {

  public static final String REGION = "AWS_REGION";
  public static final String S3_ENDPOINT = "BOXOFFICE_S3_ENDPOINT";
  public static final String DYNAMODB_ENDPOINT = "BOXOFFICE_DYNAMODB_ENDPOINT";
  public static final String SNS_ENDPOINT = "BOXOFFICE_SNS_ENDPOINT";
  public static final String SFN_ENDPOINT = "BOXOFFICE_SFN_ENDPOINT";
  public static final String SES_ENDPOINT = "BOXOFFICE_SES_ENDPOINT";
  public static final String SECRETSMANAGER_ENDPOINT = "BOXOFFICE_SECRETSMANAGER_ENDPOINT";

  private AwsClients() {
  }

  public static S3Client s3(HandlerEnvironment environment) {
    var builder = S3Client.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment))
        .httpClientBuilder(httpClient());
    endpoint(environment, S3_ENDPOINT).ifPresent(endpoint -> builder
        .endpointOverride(endpoint)
        .forcePathStyle(true));
    return builder.build();
  }

  public static S3Presigner s3Presigner(HandlerEnvironment environment) {
    var builder = S3Presigner.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment));
    endpoint(environment, S3_ENDPOINT).ifPresent(endpoint -> builder
        .endpointOverride(endpoint)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
    return builder.build();
  }

  public static DynamoDbClient dynamoDb(HandlerEnvironment environment) {
    var builder = DynamoDbClient.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment))
        .httpClientBuilder(httpClient());
    endpoint(environment, DYNAMODB_ENDPOINT).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static SnsClient sns(HandlerEnvironment environment) {
    var builder = SnsClient.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment))
        .httpClientBuilder(httpClient());
    endpoint(environment, SNS_ENDPOINT).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static SfnClient sfn(HandlerEnvironment environment) {
    var builder = SfnClient.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment))
        .httpClientBuilder(httpClient());
    endpoint(environment, SFN_ENDPOINT).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static SesV2Client sesV2(HandlerEnvironment environment) {
    var builder = SesV2Client.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment))
        .httpClientBuilder(httpClient());
    endpoint(environment, SES_ENDPOINT).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static SecretsManagerClient secretsManager(HandlerEnvironment environment) {
    var builder = SecretsManagerClient.builder()
        .region(region(environment))
        .credentialsProvider(credentials(environment))
        .httpClientBuilder(httpClient());
    endpoint(environment, SECRETSMANAGER_ENDPOINT).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static UrlConnectionHttpClient.Builder httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(10));
  }

  private static Region region(HandlerEnvironment environment) {
    return Region.of(environment.required(REGION));
  }

  private static Optional<URI> endpoint(HandlerEnvironment environment, String variable) {
    return environment.optional(variable).map(URI::create);
  }

  private static AwsCredentialsProvider credentials(HandlerEnvironment environment) {
    Optional<String> accessKeyId = environment.optional("AWS_ACCESS_KEY_ID");
    Optional<String> secretAccessKey = environment.optional("AWS_SECRET_ACCESS_KEY");
    if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(environment.optional("AWS_SESSION_TOKEN")
        .<AwsCredentials>map(token ->
            AwsSessionCredentials.create(accessKeyId.get(), secretAccessKey.get(), token))
        .orElseGet(() -> AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get())));
  }
}
