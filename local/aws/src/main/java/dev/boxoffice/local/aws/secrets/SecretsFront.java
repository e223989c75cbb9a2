package dev.boxoffice.local.aws.secrets;

import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.iam.AuthenticationFailure;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import dev.boxoffice.local.aws.iam.SignatureV4;
import dev.boxoffice.local.aws.secrets.SecretStore.ParameterValue;
import dev.boxoffice.local.aws.secrets.SecretStore.SecretVersion;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The local Secrets Manager and SSM Parameter Store on one loopback port, in their JSON protocol (AWS JSON 1.1,
 * {@code X-Amz-Target: secretsmanager.<Operation>} or {@code AmazonSSM.<Operation>}): each request's SigV4
 * signature names its caller (service {@code secretsmanager} or {@code ssm}), the local IAM decides
 * {@code secretsmanager:<Operation>} on the secret's ARN or {@code ssm:<Operation>} on each parameter's ARN, and
 * refusals come back in the services' own error shape. Operations: GetSecretValue (by version id or staging label),
 * CreateSecret, PutSecretValue (a rotation's new AWSCURRENT), GetParameter, GetParameters and PutParameter.
 */
final class SecretsFront extends VerticleBase {

  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String SECRETS_MANAGER = "secretsmanager.";
  private static final String SSM = "AmazonSSM.";
  /** Secrets Manager's largest secret is 64 KiB; a request carrying one stays well under this. */
  private static final int MAX_BODY_BYTES = 256 * 1024;
  private static final int MAX_REQUEST_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;

  private final LocalIam iam;
  private final SecretStore store;
  private final SignatureV4 secretsManagerSignatures;
  private final SignatureV4 ssmSignatures;
  private final int port;
  private HttpServer server;

  SecretsFront(LocalIam iam, SecretStore store, int port) {
    this.iam = iam;
    this.store = store;
    this.secretsManagerSignatures = new SignatureV4(iam, "secretsmanager");
    this.ssmSignatures = new SignatureV4(iam, "ssm");
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(UnreadableRequest.limitedTo(MAX_REQUEST_LINE, MAX_HEADERS)
            .setHttp2ClearTextEnabled(false))
        .requestHandler(this::handle)
        .invalidRequestHandler(request -> {
          UnreadableRequest why = UnreadableRequest.of(request);
          why.answer(request, CONTENT_TYPE, error("SerializationException", why.message()).encode());
        })
        .listen(port, "127.0.0.1")
        .onSuccess(listening -> server = listening);
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      try {
        reply(request, 200, answer(request, body));
      } catch (SecretsException refused) {
        reply(request, 400, error(refused.type(), refused.getMessage()));
      }
    });
  }

  private JsonObject answer(HttpServerRequest request, Buffer body) {
    if (body.length() > MAX_BODY_BYTES) {
      throw new SecretsException("ValidationException", "The request body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    String target = request.getHeader("X-Amz-Target");
    boolean ssm = target != null && target.startsWith(SSM);
    if (target == null || !(ssm || target.startsWith(SECRETS_MANAGER))) {
      throw new SecretsException("UnknownOperationException", "Unknown operation " + target);
    }
    Principal caller = authenticate(ssm ? ssmSignatures : secretsManagerSignatures, request, body);
    JsonObject input;
    try {
      input = body.length() == 0 ? new JsonObject() : body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new SecretsException("SerializationException", "The request body is not a JSON object");
    }
    String operation = target.substring(target.indexOf('.') + 1);
    return ssm ? parameters(caller, operation, input) : secrets(caller, operation, input);
  }

  private JsonObject secrets(Principal caller, String operation, JsonObject input) {
    switch (operation) {
      case "GetSecretValue" -> {
        String secretId = required(input, "SecretId");
        authorize(caller, "secretsmanager:GetSecretValue", secretArnFor(secretId));
        return secretVersion(store.getSecretValue(secretId, input.getString("VersionId"),
            input.getString("VersionStage")), true);
      }
      case "PutSecretValue" -> {
        String secretId = required(input, "SecretId");
        authorize(caller, "secretsmanager:PutSecretValue", secretArnFor(secretId));
        List<String> stages = input.getJsonArray("VersionStages", new JsonArray()).stream().map(String::valueOf)
            .toList();
        return secretVersion(store.putSecretValue(secretId, input.getString("ClientRequestToken"),
            required(input, "SecretString"), stages), false);
      }
      case "CreateSecret" -> {
        String name = required(input, "Name");
        authorize(caller, "secretsmanager:CreateSecret", "arn:aws:secretsmanager:" + iam.region() + ":"
            + iam.account() + ":secret:" + name + "-*");
        SecretVersion created = store.createSecret(name, required(input, "SecretString"));
        return new JsonObject().put("ARN", created.arn()).put("Name", created.name())
            .put("VersionId", created.versionId());
      }
      default -> throw new SecretsException("UnknownOperationException", "The local Secrets Manager does not"
          + " support " + operation);
    }
  }

  private JsonObject parameters(Principal caller, String operation, JsonObject input) {
    boolean decrypt = input.getBoolean("WithDecryption", false);
    switch (operation) {
      case "GetParameter" -> {
        String name = required(input, "Name");
        authorize(caller, "ssm:GetParameter", store.parameterArn(name));
        ParameterValue parameter = store.parameter(name).orElseThrow(() ->
            new SecretsException("ParameterNotFound", "Parameter " + name + " not found."));
        return new JsonObject().put("Parameter", parameter(parameter, decrypt));
      }
      case "GetParameters" -> {
        JsonArray names = input.getJsonArray("Names");
        if (names == null || names.isEmpty() || names.size() > 10) {
          throw new SecretsException("ValidationException", "1 validation error detected: Value at 'names' failed"
              + " to satisfy constraint: Member must have length between 1 and 10");
        }
        JsonArray found = new JsonArray();
        JsonArray invalid = new JsonArray();
        for (Object name : names) {
          authorize(caller, "ssm:GetParameters", store.parameterArn(String.valueOf(name)));
          store.parameter(String.valueOf(name)).ifPresentOrElse(value -> found.add(parameter(value, decrypt)),
              () -> invalid.add(name));
        }
        return new JsonObject().put("Parameters", found).put("InvalidParameters", invalid);
      }
      case "PutParameter" -> {
        String name = required(input, "Name");
        authorize(caller, "ssm:PutParameter", store.parameterArn(name));
        String type = input.getString("Type", "String");
        if (!List.of("String", "StringList", "SecureString").contains(type)) {
          throw new SecretsException("ValidationException", "Type must be String, StringList or SecureString");
        }
        long version = store.putParameter(name, type, required(input, "Value"), input.getBoolean("Overwrite",
            false));
        return new JsonObject().put("Version", version).put("Tier", "Standard");
      }
      default -> throw new SecretsException("UnknownOperationException", "The local Parameter Store does not support "
          + operation);
    }
  }

  /** The secret's ARN, or for one that does not exist the ARN it would have, so IAM decides before "not found". */
  private String secretArnFor(String secretId) {
    return store.secretArn(secretId).orElse(secretId.startsWith("arn:") ? secretId
        : "arn:aws:secretsmanager:" + iam.region() + ":" + iam.account() + ":secret:" + secretId);
  }

  private static JsonObject secretVersion(SecretVersion version, boolean withValue) {
    JsonObject answer = new JsonObject().put("ARN", version.arn()).put("Name", version.name())
        .put("VersionId", version.versionId()).put("VersionStages", new JsonArray(version.stages()));
    if (withValue) {
      answer.put("SecretString", version.secretString())
          .put("CreatedDate", version.created().toEpochMilli() / 1000.0);
    }
    return answer;
  }

  /**
   * A SecureString read without decryption is answered as SSM does, with its ciphertext: here the value in base64
   * behind a marker, which no caller could mistake for the value.
   */
  private static JsonObject parameter(ParameterValue parameter, boolean decrypt) {
    String value = parameter.type().equals("SecureString") && !decrypt
        ? "local-kms:" + Base64.getEncoder().encodeToString(parameter.value().getBytes(StandardCharsets.UTF_8))
        : parameter.value();
    return new JsonObject().put("Name", parameter.name()).put("Type", parameter.type()).put("Value", value)
        .put("Version", parameter.version()).put("ARN", parameter.arn()).put("DataType", "text")
        .put("LastModifiedDate", parameter.modified().toEpochMilli() / 1000.0);
  }

  private Principal authenticate(SignatureV4 signatures, HttpServerRequest request, Buffer body) {
    try {
      return signatures.verify(request, body.getBytes());
    } catch (AuthenticationFailure failure) {
      throw new SecretsException(switch (failure.reason()) {
        case MISSING -> "MissingAuthenticationTokenException";
        case MALFORMED -> "IncompleteSignature";
        case UNKNOWN_KEY -> "UnrecognizedClientException";
        case SIGNATURE_MISMATCH, EXPIRED, WRONG_SCOPE -> "InvalidSignatureException";
      }, failure.getMessage());
    }
  }

  private void authorize(Principal caller, String action, String resourceArn) {
    Decision decision = iam.authorize(caller, action, resourceArn);
    if (!decision.allowed()) {
      throw new SecretsException("AccessDeniedException", decision.message());
    }
  }

  private static String required(JsonObject input, String field) {
    Object value = input.getValue(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new SecretsException("ValidationException", "1 validation error detected: Value null at '"
          + Character.toLowerCase(field.charAt(0)) + field.substring(1)
          + "' failed to satisfy constraint: Member must not be null");
    }
    return text;
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(body.encode());
  }

  /** Both services' error body: the type, and the message under both spellings the SDKs read. */
  private static JsonObject error(String type, String message) {
    return new JsonObject().put("__type", type).put("message", message).put("Message", message);
  }
}
