package dev.boxoffice.backend.config;

import static dev.boxoffice.backend.config.TestEnvironments.aws;
import static dev.boxoffice.backend.config.TestEnvironments.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.codecs.session.SessionTokens;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static final String PUBLIC_KEY_PEM = TestEnvironments.PUBLIC_KEY_PEM;

  @Test
  @DisplayName("with no variables set the backend refuses to start, naming every setting aws mode needs")
  void bareJarIsAwsModeAndNamesWhatIsMissing() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of()))
        .hasMessageStartingWith("aws mode (the default; BOXOFFICE_MODE=local is for a developer's machine) needs")
        .hasMessageContaining("BOXOFFICE_DB_HOST (")
        .hasMessageContaining("BOXOFFICE_REDIS_URL (")
        .hasMessageContaining("BOXOFFICE_SESSION_PUBLIC_KEY (")
        .hasMessageContaining("BOXOFFICE_TICKET_PUBLIC_KEY (")
        .hasMessageContaining("BOXOFFICE_PUBLIC_URL (")
        .hasMessageContaining("BOXOFFICE_REVOKED_SESSIONS_TABLE (");
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("BOXOFFICE_DB_HOST", "db.example.internal")))
        .hasMessageNotContaining("BOXOFFICE_DB_HOST")
        .hasMessageContaining("BOXOFFICE_REDIS_URL");
  }

  @Test
  @DisplayName("aws mode with its settings listens on every interface; local mode on loopback only")
  void bindAddressFollowsTheMode() {
    assertThat(Config.fromEnvironment(aws()).mode()).isEqualTo(Config.Mode.AWS);
    assertThat(Config.fromEnvironment(aws()).httpHost()).isEqualTo("0.0.0.0");
    assertThat(Config.fromEnvironment(local()).httpHost()).isEqualTo("127.0.0.1");
    assertThat(Config.fromEnvironment(local("BOXOFFICE_HTTP_HOST", "0.0.0.0")).httpHost()).isEqualTo("0.0.0.0");
  }

  @Test
  @DisplayName("local mode, asked for, runs against loopback servers")
  void localDefaults() {
    Config config = Config.fromEnvironment(local());

    assertThat(config.mode()).isEqualTo(Config.Mode.LOCAL);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/boxoffice?sslmode=disable");
    assertThat(config.redis().tls()).isFalse();
    assertThat(config.logFormat()).isEqualTo(Config.LogFormat.JSON);
  }

  @Test
  @DisplayName("AWS settings give TLS to RDS and ElastiCache and carry the secrets ECS injects")
  void awsSettings() {
    Config config = Config.fromEnvironment(aws("BOXOFFICE_DB_HOST", "db.example.internal",
        "BOXOFFICE_DB_PASSWORD", "from-secrets-manager",
        "BOXOFFICE_REDIS_URL", "rediss://cache.example.internal:6379",
        "BOXOFFICE_REDIS_AUTH_TOKEN", "token-from-secrets-manager",
        "BOXOFFICE_SESSION_PUBLIC_KEY", PUBLIC_KEY_PEM,
        "BOXOFFICE_TICKET_PUBLIC_KEY", PUBLIC_KEY_PEM));

    assertThat(config.database().sslMode()).isEqualTo("require");
    assertThat(config.database().password()).isEqualTo("from-secrets-manager");
    assertThat(config.redis().tls()).isTrue();
    assertThat(config.redis().authToken()).isEqualTo(Optional.of("token-from-secrets-manager"));
  }

  @Test
  @DisplayName("a malformed value stops start-up with a sentence naming the variable")
  void rejectsBadValues() {
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_HTTP_PORT", "eighty")))
        .hasMessage("BOXOFFICE_HTTP_PORT must be a whole number, not 'eighty'");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_MODE", "cloud")))
        .hasMessageContaining("BOXOFFICE_MODE must be one of [local, aws]");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_DB_SSL_MODE", "maybe")))
        .hasMessageContaining("BOXOFFICE_DB_SSL_MODE");
  }

  @Test
  @DisplayName("aws mode refuses a session private key, which only the /verify-otp Lambda holds")
  void awsSessionKeys() {
    String privateKey = SessionTokens.privateKeyPem(SessionTokens.generateKeyPair().getPrivate());

    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_SESSION_PRIVATE_KEY", privateKey)))
        .hasMessageContaining("BOXOFFICE_SESSION_PRIVATE_KEY is refused in aws mode");
  }

  @Test
  @DisplayName("the bootstrap's door staff are scoped per organizer, and a staff entry without its organizer stops"
      + " start-up")
  void doorStaff() {
    Config config = Config.fromEnvironment(local("BOXOFFICE_DOOR_STAFF_EMAILS",
        " Door@Example.org:org@example.org, door@example.org:Second@example.org,gate@example.org:org@example.org"));

    assertThat(config.auth().doorStaff()).isEqualTo(Map.of(
        "door@example.org", Set.of("org@example.org", "second@example.org"),
        "gate@example.org", Set.of("org@example.org")));
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_DOOR_STAFF_EMAILS", "door@example.org")))
        .hasMessageContaining("staff@x:organizer@y");
  }

  @Test
  @DisplayName("without state machine ARNs no workflow is configured; the region falls back to AWS_REGION")
  void serverlessSettings() {
    Config defaults = Config.fromEnvironment(local());
    Config custom = Config.fromEnvironment(local(
        "AWS_REGION", "eu-west-3",
        "BOXOFFICE_SFN_ENDPOINT", "http://127.0.0.1:4584",
        "BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN", "arn:aws:states:eu-west-3:000000000000:stateMachine:t",
        "BOXOFFICE_SERVERLESS_API_URL", "https://api.example.org/prod"));

    assertThat(defaults.serverless().workflowsConfigured()).isFalse();
    assertThat(defaults.serverless().region()).isEqualTo("us-east-1");
    assertThat(defaults.serverless().apiUrl()).isEmpty();
    assertThat(custom.serverless().workflowsConfigured()).isTrue();
    assertThat(custom.serverless().region()).isEqualTo("eu-west-3");
    assertThat(custom.serverless().sfnEndpoint()).contains(URI.create("http://127.0.0.1:4584"));
    assertThat(custom.serverless().apiUrl()).contains("https://api.example.org/prod");
    Config cancellationOnly = Config.fromEnvironment(local(
        "BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN", "arn:aws:states:eu-west-3:000000000000:stateMachine:c"));
    assertThat(cancellationOnly.serverless().workflowsConfigured()).isTrue();
    assertThat(cancellationOnly.serverless().ticketCancellationStateMachineArn())
        .contains("arn:aws:states:eu-west-3:000000000000:stateMachine:c");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_SFN_ENDPOINT", "localhost:4584")))
        .hasMessageContaining("BOXOFFICE_SFN_ENDPOINT must be an http(s) URL");
    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_SESSION_PUBLIC_KEY", PUBLIC_KEY_PEM, "BOXOFFICE_TICKET_PUBLIC_KEY", PUBLIC_KEY_PEM,
        "BOXOFFICE_SFN_ENDPOINT", "http://127.0.0.1:4584")))
        .hasMessageContaining("BOXOFFICE_SFN_ENDPOINT is refused in aws mode");
  }

  @Test
  @DisplayName("a malformed URL stops start-up naming its own variable, whichever of them it is")
  void badUrlsNameTheirVariable() {
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_IMAGE_BASE_URL", "media.example.org/events")))
        .hasMessage("BOXOFFICE_IMAGE_BASE_URL must be an http(s) URL, not 'media.example.org/events'");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_SERVERLESS_API_URL", "ftp://api.example.org")))
        .hasMessage("BOXOFFICE_SERVERLESS_API_URL must be an http(s) URL, not 'ftp://api.example.org'");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_REDIS_URL", "cache.internal:6379")))
        .hasMessage("BOXOFFICE_REDIS_URL must be a redis:// or rediss:// URL, not 'cache.internal:6379'");
    assertThat(Config.fromEnvironment(local("BOXOFFICE_IMAGE_BASE_URL", "https://d1.cloudfront.net/media"))
        .serverless().imageBaseUrl()).contains("https://d1.cloudfront.net/media");
  }

  @Test
  @DisplayName("a variant keeps every setting it does not change")
  void builderCopiesEverySetting() {
    Config config = Config.fromEnvironment(aws("BOXOFFICE_SESSION_PUBLIC_KEY", PUBLIC_KEY_PEM, "BOXOFFICE_TICKET_PUBLIC_KEY", PUBLIC_KEY_PEM,
        "BOXOFFICE_LOG_FORMAT", "text", "BOXOFFICE_OUTBOX_BATCH_SIZE", "7"));

    Config variant = config.toBuilder().http("127.0.0.1", 9090).build();

    assertThat(variant).isEqualTo(new Config(config.mode(), "127.0.0.1", 9090, config.httpInstances(),
        config.staticDir(), config.database(), config.redis(), config.logFormat(), config.dataDir(), config.auth(),
        config.outboxRelay(), config.serverless(), config.payments(), config.notifications(), config.issuance(),
        config.revokedSessions(), config.management(), config.tracing()));
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  @DisplayName("traces go to the OTLP endpoint when one is set, 5% of them recorded in aws mode, all locally; a bad"
      + " ratio or endpoint is refused")
  void tracing() {
    Config aws = Config.fromEnvironment(aws("BOXOFFICE_SESSION_PUBLIC_KEY", PUBLIC_KEY_PEM,
        "BOXOFFICE_TICKET_PUBLIC_KEY", PUBLIC_KEY_PEM, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
    assertThat(aws.tracing()).isEqualTo(new Config.Tracing(Optional.of(URI.create("http://127.0.0.1:4318")), 0.05));
    assertThat(Config.fromEnvironment(local()).tracing()).isEqualTo(Config.Tracing.unexported());
    assertThat(Config.fromEnvironment(local("OTEL_TRACES_SAMPLER_ARG", "0.25")).tracing().sampleRatio())
        .isEqualTo(0.25);
    assertThatThrownBy(() -> Config.fromEnvironment(local("OTEL_TRACES_SAMPLER_ARG", "2")))
        .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1");
    assertThatThrownBy(() -> Config.fromEnvironment(local("OTEL_EXPORTER_OTLP_ENDPOINT", "127.0.0.1:4318")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL");
  }

  @Test
  @DisplayName("the revoked-sessions table and a local DynamoDB endpoint are read; an endpoint in aws mode and a bad"
      + " table name are refused")
  void revokedSessionsTable() {
    Config config = Config.fromEnvironment(local("BOXOFFICE_REVOKED_SESSIONS_TABLE", "boxoffice-revoked-sessions",
        "BOXOFFICE_DYNAMODB_ENDPOINT", "http://127.0.0.1:4512"));
    assertThat(config.revokedSessions().tableName()).contains("boxoffice-revoked-sessions");
    assertThat(config.revokedSessions().dynamoDbEndpoint()).contains(URI.create("http://127.0.0.1:4512"));
    assertThat(Config.fromEnvironment(local()).revokedSessions()).isEqualTo(Config.RevokedSessionsTable.off());
    assertThat(Config.fromEnvironment(aws()).revokedSessions().tableName()).contains("boxoffice-revoked-sessions");

    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_DYNAMODB_ENDPOINT", "http://127.0.0.1:4512")))
        .hasMessageContaining("BOXOFFICE_DYNAMODB_ENDPOINT is refused in aws mode");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_REVOKED_SESSIONS_TABLE", "no/such table")))
        .hasMessageContaining("BOXOFFICE_REVOKED_SESSIONS_TABLE must be a DynamoDB table name");
  }

  @Test
  @DisplayName("a migration user makes the backend migrate as the schema's owner and serve as another user; the"
      + " same user for both is refused")
  void migrationUser() {
    Config config = Config.fromEnvironment(aws("BOXOFFICE_DB_MIGRATION_USER", "boxoffice_owner",
        "BOXOFFICE_DB_MIGRATION_PASSWORD", "owner-secret", "BOXOFFICE_DB_USER", "boxoffice_backend"));
    assertThat(config.database().migrator()).contains(new Config.Credentials("boxoffice_owner", "owner-secret"));
    assertThat(config.database().user()).isEqualTo("boxoffice_backend");
    assertThat(config.database().migrator().orElseThrow().toString()).doesNotContain("owner-secret");
    assertThat(Config.fromEnvironment(aws()).database().migrator()).isEmpty();

    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_DB_MIGRATION_USER", "boxoffice",
        "BOXOFFICE_DB_USER", "boxoffice")))
        .hasMessageContaining("must differ from BOXOFFICE_DB_USER");
  }

  @Test
  @DisplayName("aws mode serves /metrics on loopback port 9404, never on the public port; local mode keeps them"
      + " together unless asked")
  void managementPort() {
    assertThat(Config.fromEnvironment(aws()).management()).contains(new Config.Management("127.0.0.1", 9404));
    assertThat(Config.fromEnvironment(aws("BOXOFFICE_METRICS_PORT", "9100", "BOXOFFICE_METRICS_HOST", "0.0.0.0"))
        .management()).contains(new Config.Management("0.0.0.0", 9100));
    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_METRICS_PORT", "8080")))
        .hasMessageStartingWith("BOXOFFICE_METRICS_PORT must differ from BOXOFFICE_HTTP_PORT in aws mode");
    assertThat(Config.fromEnvironment(local()).management()).isEmpty();
    assertThat(Config.fromEnvironment(local("BOXOFFICE_METRICS_PORT", "9404")).management())
        .contains(new Config.Management("127.0.0.1", 9404));
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_METRICS_PORT", "port")))
        .hasMessageContaining("BOXOFFICE_METRICS_PORT");
  }

  @Test
  @DisplayName("the notification topic and a local SNS endpoint are read; a bad ARN and an endpoint in aws mode are"
      + " refused")
  void buyerNotifications() {
    String topic = "arn:aws:sns:eu-west-3:123456789012:boxoffice-notifications";
    Config config = Config.fromEnvironment(local("BOXOFFICE_NOTIFICATION_TOPIC_ARN", topic,
        "BOXOFFICE_SNS_ENDPOINT", "http://127.0.0.1:4513"));
    assertThat(config.notifications().topicArn()).contains(topic);
    assertThat(config.notifications().snsEndpoint()).contains(URI.create("http://127.0.0.1:4513"));
    assertThat(Config.fromEnvironment(local()).notifications()).isEqualTo(Config.BuyerNotifications.off());

    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_NOTIFICATION_TOPIC_ARN", "notifications")))
        .hasMessageContaining("BOXOFFICE_NOTIFICATION_TOPIC_ARN must be an SNS topic ARN");
    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_SNS_ENDPOINT", "http://127.0.0.1:4513")))
        .hasMessageContaining("BOXOFFICE_SNS_ENDPOINT is refused in aws mode");
  }

  @Test
  @DisplayName("the issuance outcome queue, a local SQS endpoint and the batches in flight are read; the endpoint in"
      + " aws mode and no batch in flight are refused")
  void issuance() {
    String queue = "http://127.0.0.1:4519/000000000000/boxoffice-issuance-outcomes";
    Config config = Config.fromEnvironment(local("BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL", queue,
        "BOXOFFICE_SQS_ENDPOINT", "http://127.0.0.1:4519", "BOXOFFICE_ISSUANCE_BATCHES_IN_FLIGHT", "8"));
    assertThat(config.issuance()).isEqualTo(new Config.Issuance(Optional.of(queue),
        Optional.of(URI.create("http://127.0.0.1:4519")), 8));
    assertThat(Config.fromEnvironment(local()).issuance()).isEqualTo(Config.Issuance.defaults());

    assertThatThrownBy(() -> Config.fromEnvironment(aws("BOXOFFICE_SQS_ENDPOINT", "http://127.0.0.1:4519")))
        .hasMessageContaining("BOXOFFICE_SQS_ENDPOINT is refused in aws mode");
    assertThatThrownBy(() -> Config.fromEnvironment(local("BOXOFFICE_ISSUANCE_BATCHES_IN_FLIGHT", "0")))
        .hasMessageContaining("BOXOFFICE_ISSUANCE_BATCHES_IN_FLIGHT");
  }

  @Test
  @DisplayName("session and outbox settings have documented defaults; organizer and administrator emails ignore case"
      + " and spaces")
  void sessionAndOutboxSettings() {
    Config defaults = Config.fromEnvironment(local());
    Config custom = Config.fromEnvironment(local(
        "BOXOFFICE_ORGANIZER_EMAILS", " Org@Example.org,,second@example.org , org@example.org",
        "BOXOFFICE_ADMIN_EMAILS", "Boss@Example.org ,",
        "BOXOFFICE_DATA_DIR", "state/boxoffice",
        "BOXOFFICE_SESSION_TTL_MINUTES", "15",
        "BOXOFFICE_OUTBOX_POLL_MS", "250",
        "BOXOFFICE_OUTBOX_BATCH_SIZE", "50"));

    assertThat(defaults.dataDir()).isEqualTo(Path.of(".boxoffice").toAbsolutePath());
    assertThat(defaults.auth().publicKeyPem()).isEmpty();
    assertThat(defaults.auth().organizerEmails()).isEmpty();
    assertThat(defaults.auth().issuer()).isEqualTo("boxoffice");
    assertThat(defaults.auth().audience()).isEqualTo("boxoffice-api");
    assertThat(defaults.auth().tokenLifetime()).isEqualTo(Duration.ofHours(12));
    assertThat(defaults.auth().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.outboxRelay()).isEqualTo(new Config.OutboxRelay(Duration.ofMillis(100), 1000));

    assertThat(custom.auth().organizerEmails()).containsExactlyInAnyOrder("org@example.org", "second@example.org");
    assertThat(custom.auth().administrators()).containsExactly("boss@example.org");
    assertThat(defaults.auth().administrators()).isEmpty();
    assertThat(custom.dataDir()).isEqualTo(Path.of("state/boxoffice").toAbsolutePath());
    assertThat(custom.auth().tokenLifetime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(custom.outboxRelay()).isEqualTo(new Config.OutboxRelay(Duration.ofMillis(250), 50));
  }
}
