package dev.boxoffice.local.stack;

import dev.boxoffice.local.cloud.LocalCloudSettings;
import dev.boxoffice.local.servers.LoopbackPorts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack keeps its data and which loopback ports its servers take. A port of 0 picks a free one at
 * start-up (the tests do that): for the in-process servers it is fixed here, before anything starts, so each service
 * can be told where the others are; PostgreSQL, Redis and DynamoDB keep 0 and pick their port as they start (they
 * are started first and looked up afterwards), so they can try another one if theirs is taken meanwhile.
 */
public record LocalStackSettings(Path dataDir, int postgresPort, int redisPort, int apiGatewayPort, int s3Port,
                                 int dynamoDbPort, int snsPort, int stepFunctionsPort, int smtpPort, int inboxPort,
                                 int mediaPort, int stripePort, int sqsPort, int sesPort, int secretsPort,
                                 String sesMaxSendRate) {

  /** The ports of the local AWS half. */
  public LocalCloudSettings.Ports cloudPorts() {
    return new LocalCloudSettings.Ports(apiGatewayPort, s3Port, dynamoDbPort, snsPort, stepFunctionsPort, smtpPort,
        inboxPort, sqsPort, sesPort, stripePort, secretsPort);
  }

  public static LocalStackSettings fromEnvironment(Map<String, String> env) {
    return new LocalStackSettings(
        Path.of(env.getOrDefault("BOXOFFICE_DATA_DIR", ".boxoffice")).toAbsolutePath().normalize(),
        childPort(env, "BOXOFFICE_LOCAL_PG_PORT", 15432),
        childPort(env, "BOXOFFICE_LOCAL_REDIS_PORT", 16379),
        port(env, "BOXOFFICE_LOCAL_APIGATEWAY_PORT", 4510),
        port(env, "BOXOFFICE_LOCAL_S3_PORT", 4511),
        childPort(env, "BOXOFFICE_LOCAL_DYNAMODB_PORT", 4512),
        port(env, "BOXOFFICE_LOCAL_SNS_PORT", 4513),
        port(env, "BOXOFFICE_LOCAL_SFN_PORT", 4514),
        port(env, "BOXOFFICE_LOCAL_SMTP_PORT", 4515),
        port(env, "BOXOFFICE_LOCAL_INBOX_PORT", 4516),
        port(env, "BOXOFFICE_LOCAL_MEDIA_PORT", 4517),
        port(env, "BOXOFFICE_LOCAL_STRIPE_PORT", 4518),
        port(env, "BOXOFFICE_LOCAL_SQS_PORT", 4519),
        port(env, "BOXOFFICE_LOCAL_SES_PORT", 4520),
        port(env, "BOXOFFICE_LOCAL_SECRETS_PORT", 4521),
        sendRate(env.get("BOXOFFICE_LOCAL_SES_MAX_SEND_RATE")));
  }

  /** An SES sending rate as configured, or null for the template's default. */
  private static String sendRate(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      if (Double.parseDouble(raw.trim()) > 0) {
        return raw.trim();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("BOXOFFICE_LOCAL_SES_MAX_SEND_RATE must be a positive number of emails a "
        + "second, not '" + raw + "'");
  }

  /**
   * Fails with a sentence naming the variable when a port of an in-process server is already in use. PostgreSQL,
   * Redis and DynamoDB run as child processes that a crashed stack may have left behind; their own start stops such
   * leftovers first, so their ports are not checked here.
   */
  public void requireFreePorts() {
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    ports.put("BOXOFFICE_LOCAL_APIGATEWAY_PORT", apiGatewayPort);
    ports.put("BOXOFFICE_LOCAL_S3_PORT", s3Port);
    ports.put("BOXOFFICE_LOCAL_SNS_PORT", snsPort);
    ports.put("BOXOFFICE_LOCAL_SFN_PORT", stepFunctionsPort);
    ports.put("BOXOFFICE_LOCAL_SMTP_PORT", smtpPort);
    ports.put("BOXOFFICE_LOCAL_INBOX_PORT", inboxPort);
    ports.put("BOXOFFICE_LOCAL_MEDIA_PORT", mediaPort);
    ports.put("BOXOFFICE_LOCAL_STRIPE_PORT", stripePort);
    ports.put("BOXOFFICE_LOCAL_SQS_PORT", sqsPort);
    ports.put("BOXOFFICE_LOCAL_SES_PORT", sesPort);
    ports.put("BOXOFFICE_LOCAL_SECRETS_PORT", secretsPort);
    ports.forEach((variable, port) -> {
      try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        probe.setReuseAddress(true);
      } catch (IOException inUse) {
        throw new IllegalStateException("port " + port + " is already in use (is another Boxoffice running?); stop "
            + "that process or set " + variable + " to a free port");
      }
    });
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    int port = childPort(env, name, fallback);
    return port == 0 ? LoopbackPorts.free() : port;
  }

  /** A port as configured, 0 left as it is for a server that picks its own. */
  private static int childPort(Map<String, String> env, String name, int fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    int port;
    try {
      port = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number, not '" + raw + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be a port number, not '" + raw + "'");
    }
    return port;
  }
}
