package dev.boxoffice.local.cloud;

import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients of the local services, signed as one {@link LocalPrincipal}, built once and closed with the cloud. */
public final class AdminClients implements AutoCloseable {

  private final S3Client s3;
  private final DynamoDbClient dynamoDb;
  private final SnsClient sns;
  private final SfnClient sfn;
  private final SqsClient sqs;
  private final SesV2Client ses;

  AdminClients(LocalPrincipal principal, URI s3Endpoint, URI dynamoDbEndpoint, URI snsEndpoint, URI sfnEndpoint,
      URI sqsEndpoint, URI sesEndpoint) {
    Region region = Region.of(LocalPrincipal.REGION);
    this.sqs = sqsClient(principal, sqsEndpoint);
    this.ses = SesV2Client.builder().region(region).credentialsProvider(principal.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(sesEndpoint).build();
    this.s3 = S3Client.builder().region(region).credentialsProvider(principal.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(s3Endpoint).forcePathStyle(true).build();
    this.dynamoDb = DynamoDbClient.builder().region(region).credentialsProvider(principal.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(dynamoDbEndpoint).build();
    this.sns = SnsClient.builder().region(region).credentialsProvider(principal.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(snsEndpoint).build();
    this.sfn = SfnClient.builder().region(region).credentialsProvider(principal.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(sfnEndpoint).build();
  }

  public S3Client s3() {
    return s3;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public SnsClient sns() {
    return sns;
  }

  public SfnClient sfn() {
    return sfn;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public SesV2Client ses() {
    return ses;
  }

  /** An SQS client signed as {@code principal}: the event source mappings poll as their function's role. */
  static SqsClient sqsClient(LocalPrincipal principal, URI sqsEndpoint) {
    return SqsClient.builder().region(Region.of(LocalPrincipal.REGION))
        .credentialsProvider(principal.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(sqsEndpoint).build();
  }

  @Override
  public void close() {
    s3.close();
    dynamoDb.close();
    sns.close();
    sfn.close();
    sqs.close();
    ses.close();
  }
}
