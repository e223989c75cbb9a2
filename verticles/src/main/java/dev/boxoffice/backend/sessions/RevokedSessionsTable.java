package dev.boxoffice.backend.sessions;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.model.SessionRevocation;
import dev.boxoffice.codecs.session.SessionRevocations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB table of revoked sessions that the Lambdas read ({@code SessionVerifier}), written with the task
 * role through the SDK's blocking client on a small worker pool of its own, so no event loop waits on DynamoDB. One
 * PutItem per revocation, in the item layout of {@link SessionRevocations}: writing the same revocation twice writes
 * the same item, so two backends copying it race harmlessly.
 */
public final class RevokedSessionsTable implements AutoCloseable {

  private static final int MAX_CONCURRENT_CALLS = 2;

  private final DynamoDbClient client;
  private final WorkerExecutor workers;
  private final String tableName;

  private RevokedSessionsTable(DynamoDbClient client, WorkerExecutor workers, String tableName) {
    this.client = client;
    this.workers = workers;
    this.tableName = tableName;
  }

  public static RevokedSessionsTable create(Vertx vertx, Config.RevokedSessionsTable settings, String tableName,
                                            String region, AwsCredentialsProvider credentials) {
    DynamoDbClientBuilder builder = DynamoDbClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
    return new RevokedSessionsTable(builder.build(),
        vertx.createSharedWorkerExecutor("boxoffice-revoked-sessions", MAX_CONCURRENT_CALLS), tableName);
  }

  /** Writes {@code revocation}'s item; fails as the SDK call does. */
  Future<Void> put(SessionRevocation revocation) {
    Map<String, AttributeValue> item = Map.of(
        SessionRevocations.SUBJECT_KEY, AttributeValue.fromS(SessionRevocations.subjectKey(revocation.email())),
        SessionRevocations.REVOCATION, AttributeValue.fromS(revocation.tokenHash()
            .map(hash -> SessionRevocations.SESSION_PREFIX + hash)
            .orElse(SessionRevocations.EVERYWHERE_PREFIX + revocation.revokedAt().getEpochSecond())),
        SessionRevocations.REVOKED_AT, AttributeValue.fromN(Long.toString(revocation.revokedAt().getEpochSecond())),
        SessionRevocations.EXPIRES_AT, AttributeValue.fromN(Long.toString(revocation.expiresAt().getEpochSecond())));
    return workers.executeBlocking(() -> client.putItem(put -> put.tableName(tableName).item(item)), false)
        .mapEmpty();
  }

  @Override
  public void close() {
    workers.close();
    client.close();
  }
}
