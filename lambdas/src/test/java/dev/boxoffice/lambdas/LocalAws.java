package dev.boxoffice.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.dynamodb.LocalDynamoDb;
import dev.boxoffice.local.aws.s3.LocalS3;
import dev.boxoffice.local.aws.sns.LocalSns;
import dev.boxoffice.local.stepfunctions.LambdaInvoker;
import dev.boxoffice.local.stepfunctions.StepFunctionsApiVerticle;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The real local endpoints the handler tests talk to, started once per test run ({@link LocalAwsExtension}):
 * S3Proxy, dynalite with the serverless template's tables, SNS with its mail catcher and inbox, and the Step
 * Functions engine behind its API; plus SDK clients for assertions and the environment a handler is built with.
 */
public final class LocalAws implements AutoCloseable {

  public static final String OTP_TABLE = "boxoffice-otp";
  public static final String ACTIVITY_TABLE = "boxoffice-activity-log";
  public static final String BUCKET = "boxoffice-lambdas-test";
  public static final String PEPPER = "a-test-pepper-of-at-least-32-bytes-long";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dataDir;
  private final Vertx vertx;
  private final LocalS3 localS3;
  private final LocalDynamoDb localDynamoDb;
  private final LocalSns localSns;
  private final StepFunctionsEngine stepFunctions;
  private final URI sfnEndpoint;
  private final S3Client s3;
  private final DynamoDbClient dynamoDb;
  private final SnsClient sns;
  private final SfnClient sfn;
  private final String topicArn;
  private final KeyPair sessionKeys = SessionTokens.generateKeyPair();
  private final KeyPair ticketKeys = SessionTokens.generateKeyPair();

  private LocalAws(Path dataDir, Vertx vertx, LocalS3 localS3, LocalDynamoDb localDynamoDb, LocalSns localSns,
                   StepFunctionsEngine stepFunctions, URI sfnEndpoint) {
    this.dataDir = dataDir;
    this.vertx = vertx;
    this.localS3 = localS3;
    this.localDynamoDb = localDynamoDb;
    this.localSns = localSns;
    this.stepFunctions = stepFunctions;
    this.sfnEndpoint = sfnEndpoint;
    this.s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(localS3.endpoint()).forcePathStyle(true).build();
    this.dynamoDb = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(localDynamoDb.endpoint()).build();
    this.sns = SnsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(localSns.snsEndpoint()).build();
    this.sfn = SfnClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(sfnEndpoint).build();
    s3.createBucket(create -> create.bucket(BUCKET));
    this.topicArn = sns.createTopic(create -> create.name("boxoffice-announcements")).topicArn();
  }

  static LocalAws start() throws Exception {
    Path dataDir = Files.createTempDirectory("boxoffice-lambdas-test");
    Vertx vertx = Vertx.vertx();
    LocalS3 s3 = LocalS3.start(dataDir, 0);
    LocalDynamoDb dynamoDb = LocalDynamoDb.start(dataDir.resolve("dynamodb-data"), 0, RepositoryRoot.serverlessTemplate());
    LocalSns sns = await(LocalSns.start(vertx, dataDir.resolve("sns"), 0, 0, 0,
        (function, payload) -> Future.succeededFuture("null")));
    StepFunctionsEngine engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local(), LambdaInvoker.none());
    StepFunctionsApiVerticle api = new StepFunctionsApiVerticle(engine);
    await(vertx.deployVerticle(api));
    return new LocalAws(dataDir, vertx, s3, dynamoDb, sns, engine, URI.create("http://127.0.0.1:" + api.actualPort()));
  }

  /** What the local Lambda runner would pass a handler: credentials, region, every endpoint override, the names. */
  public Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_REGION", LocalCredentials.REGION);
    environment.put("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID);
    environment.put("AWS_SECRET_ACCESS_KEY", LocalCredentials.SECRET_ACCESS_KEY);
    environment.put(AwsClients.S3_ENDPOINT, localS3.endpoint().toString());
    environment.put(AwsClients.DYNAMODB_ENDPOINT, localDynamoDb.endpoint().toString());
    environment.put(AwsClients.SNS_ENDPOINT, localSns.snsEndpoint().toString());
    environment.put(AwsClients.SFN_ENDPOINT, sfnEndpoint.toString());
    environment.put(CreateEventHandler.BUCKET, BUCKET);
    environment.put(OtpTable.TABLE, OTP_TABLE);
    environment.put(LogActivityHandler.TABLE, ACTIVITY_TABLE);
    environment.put(CheckSubscriptionHandler.TOPIC_ARN, topicArn);
    environment.put(OneTimePasswords.PEPPER, PEPPER);
    environment.put(SessionVerifier.PUBLIC_KEY, SessionTokens.publicKeyPem(sessionKeys.getPublic()));
    environment.put(VerifyOtpHandler.PRIVATE_KEY, SessionTokens.privateKeyPem(sessionKeys.getPrivate()));
    environment.put(CreateTicketHandler.TICKET_PRIVATE_KEY, SessionTokens.privateKeyPem(ticketKeys.getPrivate()));
    return environment;
  }

  public Map<String, String> environment(Map<String, String> overrides) {
    Map<String, String> environment = environment();
    environment.putAll(overrides);
    return environment;
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

  public String topicArn() {
    return topicArn;
  }

  public KeyPair sessionKeys() {
    return sessionKeys;
  }

  public KeyPair ticketKeys() {
    return ticketKeys;
  }

  /** Keys of the objects under a prefix of the test bucket. */
  public List<String> objectKeys(String prefix) {
    return s3.listObjectsV2Paginator(list -> list.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(object -> object.key()).toList();
  }

  /** The inbox's mails to an address, newest first, as JSON ({@code subject}, {@code text}, {@code links}...). */
  public List<JsonNode> mailsTo(String address) {
    HttpResponse<String> response = get(localSns.inboxUrl().resolve("/api/messages?to="
        + URLEncoder.encode(address, StandardCharsets.UTF_8)));
    List<JsonNode> mails = new ArrayList<>();
    try {
      Json.mapper().readTree(response.body()).forEach(mails::add);
    } catch (IOException e) {
      throw new AssertionError("the inbox answered " + response.body(), e);
    }
    return mails;
  }

  /** Polls the inbox until a mail to the address satisfies {@code wanted}; fails after ten seconds. */
  public JsonNode awaitMail(String address, Predicate<JsonNode> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (JsonNode mail : mailsTo(address)) {
        if (wanted.test(mail)) {
          return mail;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no matching mail to " + address + "; the inbox holds " + mailsTo(address));
  }

  /**
   * Subscribes the address to the topic with the filter policy the subscription state machine sets, and confirms
   * it through the link of the confirmation mail, as the subscriber would; returns the subscription ARN.
   */
  public String confirmedSubscriber(String address, String filterPolicy) throws InterruptedException {
    String arn = pendingSubscriber(address, filterPolicy);
    JsonNode confirmation = awaitMail(address, mail -> mail.path("subject").asText().contains("Subscription Confirmation"));
    HttpResponse<String> confirmed = get(URI.create(confirmation.path("links").get(0).asText()));
    if (confirmed.statusCode() != 200) {
      throw new AssertionError("confirmation answered " + confirmed.statusCode() + ": " + confirmed.body());
    }
    return arn;
  }

  public String pendingSubscriber(String address, String filterPolicy) {
    return sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint(address)
        .returnSubscriptionArn(true).attributes(Map.of("FilterPolicy", filterPolicy))).subscriptionArn();
  }

  public static HttpResponse<String> get(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public StepFunctionsEngine stepFunctions() {
    return stepFunctions;
  }

  @Override
  public void close() throws Exception {
    s3.close();
    dynamoDb.close();
    sns.close();
    sfn.close();
    stepFunctions.close();
    await(localSns.stop());
    localDynamoDb.close();
    localS3.close();
    await(vertx.close());
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
