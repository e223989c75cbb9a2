package dev.boxoffice.local.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.RepositoryFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class LocalDynamoDbTest {

  private static final String OTP_TABLE = "boxoffice-otp-codes";
  private static final String ACTIVITY_TABLE = "boxoffice-activity-log";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dataDir;

  private static LocalDynamoDb dynamoDb;
  private static DynamoDbClient client;

  @BeforeAll
  static void start() throws Exception {
    dynamoDb = LocalDynamoDb.start(dataDir, 0, RepositoryFiles.serverlessTemplate());
    client = client(dynamoDb.endpoint());
  }

  @AfterAll
  static void stop() {
    client.close();
    dynamoDb.stop();
  }

  @Test
  @DisplayName("the template's tables exist with their key schema and GSI, on 127.0.0.1")
  void tablesFromTemplate() {
    TableDescription otp = client.describeTable(describe -> describe.tableName(OTP_TABLE)).table();
    TableDescription activity = client.describeTable(describe -> describe.tableName(ACTIVITY_TABLE)).table();

    assertThat(dynamoDb.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(otp.keySchema()).containsExactly(key("codeSlot", KeyType.HASH));
    assertThat(activity.keySchema()).containsExactly(key("pk", KeyType.HASH), key("sk", KeyType.RANGE));
    assertThat(activity.globalSecondaryIndexes()).singleElement().satisfies(index -> {
      assertThat(index.indexName()).isEqualTo("gsi1");
      assertThat(index.keySchema()).containsExactly(key("gsi1pk", KeyType.HASH), key("gsi1sk", KeyType.RANGE));
    });
  }

  @Test
  @DisplayName("items put into the activity log come back by key range and through the GSI")
  void putAndQuery() {
    put(ACTIVITY_TABLE, Map.of("pk", s("user#1"), "sk", s("2026-11-01#login"),
        "gsi1pk", s("login"), "gsi1sk", s("2026-11-01")));
    put(ACTIVITY_TABLE, Map.of("pk", s("user#1"), "sk", s("2026-11-02#order"),
        "gsi1pk", s("order"), "gsi1sk", s("2026-11-02")));
    put(ACTIVITY_TABLE, Map.of("pk", s("user#2"), "sk", s("2026-11-03#login"),
        "gsi1pk", s("login"), "gsi1sk", s("2026-11-03")));

    var userOne = client.query(query -> query.tableName(ACTIVITY_TABLE)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :day)")
        .expressionAttributeValues(Map.of(":pk", s("user#1"), ":day", s("2026-11-0"))));
    var logins = client.query(query -> query.tableName(ACTIVITY_TABLE).indexName("gsi1")
        .keyConditionExpression("gsi1pk = :type")
        .expressionAttributeValues(Map.of(":type", s("login"))));

    assertThat(userOne.items()).extracting(item -> item.get("sk").s())
        .containsExactly("2026-11-01#login", "2026-11-02#order");
    assertThat(logins.items()).extracting(item -> item.get("pk").s()).containsExactlyInAnyOrder("user#1", "user#2");
  }

  @Test
  @DisplayName("the TTL sweep deletes OTP items whose expiresAt has passed and keeps the others")
  void timeToLive() {
    long now = Instant.now().getEpochSecond();
    put(OTP_TABLE, Map.of("codeSlot", s("expired"), "expiresAt", AttributeValue.fromN(Long.toString(now - 5))));
    put(OTP_TABLE, Map.of("codeSlot", s("valid"), "expiresAt", AttributeValue.fromN(Long.toString(now + 300))));
    put(OTP_TABLE, Map.of("codeSlot", s("no-ttl")));

    int deleted = dynamoDb.deleteExpiredItems();

    assertThat(deleted).isEqualTo(1);
    assertThat(otpItem("expired")).isEmpty();
    assertThat(otpItem("valid")).isNotEmpty();
    assertThat(otpItem("no-ttl")).isNotEmpty();
  }

  @Test
  @DisplayName("malformed JSON, an unknown action and invalid requests get DynamoDB error types with 400")
  void badInput() throws Exception {
    HttpResponse<String> malformed = signedCall("DynamoDB_20120810.PutItem", "{\"TableName\": ");
    HttpResponse<String> unknown = signedCall("DynamoDB_20120810.Frobnicate", "{}");

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(malformed.body()).getString("__type")).as(malformed.body())
        .endsWith("#SerializationException");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("__type")).endsWith("#UnknownOperationException");
    assertThatThrownBy(() -> client.putItem(put -> put.tableName(OTP_TABLE).item(Map.of("wrong", s("key")))))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        });
    assertThatThrownBy(() -> client.getItem(get -> get.tableName("no-such-table").key(Map.of("id", s("1")))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  @DisplayName("a restart on the same data folder keeps the items, and a dynalite left by a crash is stopped")
  void restartKeepsDataAndKillsStaleChild(@TempDir Path restartDir) throws Exception {
    try (LocalDynamoDb first = LocalDynamoDb.start(restartDir, 0, RepositoryFiles.serverlessTemplate());
         DynamoDbClient firstClient = client(first.endpoint())) {
      firstClient.putItem(put -> put.tableName(OTP_TABLE).item(Map.of("codeSlot", s("kept"))));
    }
    Process stale = new ProcessBuilder("node", "-e", "setInterval(() => {}, 1000)", "dynalite-left-by-a-crash")
        .start();
    Files.writeString(restartDir.resolve("dynamodb.pid"), Long.toString(stale.pid()));

    try (LocalDynamoDb second = LocalDynamoDb.start(restartDir, 0, RepositoryFiles.serverlessTemplate());
         DynamoDbClient secondClient = client(second.endpoint())) {
      var kept = secondClient.getItem(get -> get.tableName(OTP_TABLE).key(Map.of("codeSlot", s("kept"))));

      assertThat(stale.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(kept.item()).containsEntry("codeSlot", s("kept"));
      assertThat(Files.readString(restartDir.resolve("dynamodb.pid"))).isEqualTo(Long.toString(second.pid()));
    } finally {
      stale.destroyForcibly();
    }
    assertThat(restartDir.resolve("dynamodb.pid")).doesNotExist();
  }

  @Test
  @DisplayName("on restart a table whose GSIs changed in the template is recreated, an unchanged one keeps its items")
  void templateChangeRecreatesChangedTable(@TempDir Path changeDir) throws Exception {
    String table = """
          %s:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: %s
              AttributeDefinitions:
                - {AttributeName: id, AttributeType: S}
                %s
              KeySchema:
                - {AttributeName: id, KeyType: HASH}
              %s
        """;
    String gsi = """
        GlobalSecondaryIndexes:
                - IndexName: byEmail
                  KeySchema: [{AttributeName: email, KeyType: HASH}]
                  Projection: {ProjectionType: KEYS_ONLY}""";
    Path before = Files.writeString(changeDir.resolve("before.yaml"), "Resources:\n"
        + table.formatted("Changed", "changed", "", "") + table.formatted("Same", "same", "", ""));
    Path after = Files.writeString(changeDir.resolve("after.yaml"), "Resources:\n"
        + table.formatted("Changed", "changed", "- {AttributeName: email, AttributeType: S}", gsi)
        + table.formatted("Same", "same", "", ""));
    try (LocalDynamoDb first = LocalDynamoDb.start(changeDir, 0, before);
         DynamoDbClient firstClient = client(first.endpoint())) {
      firstClient.putItem(put -> put.tableName("changed").item(Map.of("id", s("1"))));
      firstClient.putItem(put -> put.tableName("same").item(Map.of("id", s("1"))));
    }

    try (LocalDynamoDb second = LocalDynamoDb.start(changeDir, 0, after);
         DynamoDbClient secondClient = client(second.endpoint())) {
      TableDescription changed = secondClient.describeTable(describe -> describe.tableName("changed")).table();

      assertThat(changed.globalSecondaryIndexes()).extracting(index -> index.indexName()).containsExactly("byEmail");
      assertThat(secondClient.scan(scan -> scan.tableName("changed")).count()).isZero();
      assertThat(secondClient.scan(scan -> scan.tableName("same")).count()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a port held by another server fails the start, saying so, and leaves no child behind")
  void portInUse(@TempDir Path busyDir) throws Exception {
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> LocalDynamoDb.start(busyDir, other.getLocalPort(), RepositoryFiles.serverlessTemplate()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not start")
          .rootCause().hasMessageContaining("in use");
    }
    assertThat(busyDir.resolve("dynamodb.pid")).doesNotExist();
  }

  private static Map<String, AttributeValue> otpItem(String codeSlot) {
    return client.getItem(get -> get.tableName(OTP_TABLE).key(Map.of("codeSlot", s(codeSlot)))).item();
  }

  private static void put(String table, Map<String, AttributeValue> item) {
    client.putItem(put -> put.tableName(table).item(item));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
        .build();
  }

  private static HttpResponse<String> signedCall(String target, String body) throws Exception {
    URI uri = dynamoDb.endpoint().resolve("/");
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(uri)
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("X-Amz-Target", target)
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(AwsCredentialsIdentity.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY))
        .request(unsigned)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
        .putProperty(AwsV4HttpSigner.REGION_NAME, LocalCredentials.REGION));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    signed.request().headers().forEach((name, values) -> {
      if (!List.of("host", "content-length").contains(name.toLowerCase())) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
