package dev.boxoffice.local.aws.ses;

import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.iam.AuthenticationFailure;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import dev.boxoffice.local.aws.iam.SignatureV4;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SES v2 API on 127.0.0.1 (REST-JSON, what {@code SesV2Client} and {@code aws sesv2} send): SendEmail, GetAccount,
 * the identities and the configuration sets with their event destinations. Every request's SigV4 signature is checked
 * and the local IAM asked whether its caller may perform the operation, as SES's "actions, resources and condition
 * keys" table names it: SendEmail as {@code ses:SendEmail} on the identity the mail is sent as and on its
 * configuration set, the others on their identity, configuration set or the account.
 */
final class SesVerticle extends VerticleBase {

  static final String ACCOUNT_ID = "000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(SesVerticle.class);
  private static final String LOOPBACK = "127.0.0.1";
  /** 40 MB of message once base64-decoded, with the JSON around it. */
  private static final long MAX_BODY_BYTES = 56L * 1024 * 1024;
  private static final Set<String> EVENT_TYPES = Set.of("SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN",
      "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION");

  private final SesAccount account;
  private final OutboundEmails outbound;
  private final LocalIam iam;
  private final SignatureV4 signatures;
  private final int port;
  private HttpServer server;

  SesVerticle(SesAccount account, OutboundEmails outbound, LocalIam iam, int port) {
    this.account = account;
    this.outbound = outbound;
    this.iam = iam;
    this.signatures = new SignatureV4(iam, "ses");
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post("/v2/email/outbound-emails").handler(context -> operation(context, caller ->
        new JsonObject().put("MessageId", outbound.send(body(context), (identity, configurationSet) -> {
          require(caller, "ses:SendEmail", identityArn(identity));
          configurationSet.ifPresent(name -> require(caller, "ses:SendEmail", configurationSetArn(name)));
        }))));
    router.get("/v2/email/account").handler(context -> operation(context, caller -> {
      require(caller, "ses:GetAccount", "*");
      return accountDetails();
    }));
    router.post("/v2/email/identities").handler(context -> operation(context, caller -> {
      JsonObject request = body(context);
      require(caller, "ses:CreateEmailIdentity", identityArn(required(request, "EmailIdentity")));
      return createIdentity(request);
    }));
    router.get("/v2/email/identities/:identity").handler(context -> operation(context, caller -> {
      require(caller, "ses:GetEmailIdentity", identityArn(context.pathParam("identity")));
      return identity(context.pathParam("identity"));
    }));
    router.post("/v2/email/configuration-sets").handler(context -> operation(context, caller -> {
      String name = required(body(context), "ConfigurationSetName");
      require(caller, "ses:CreateConfigurationSet", configurationSetArn(name));
      account.createConfigurationSet(name);
      return new JsonObject();
    }));
    router.post("/v2/email/configuration-sets/:name/event-destinations").handler(context -> operation(context,
        caller -> {
          require(caller, "ses:CreateConfigurationSetEventDestination",
              configurationSetArn(context.pathParam("name")));
          return addEventDestination(context.pathParam("name"), body(context));
        }));
    router.route().handler(context -> error(context, SesException.unknownOperation(context.request().method().name(),
        context.request().path())));
    router.route().failureHandler(context -> error(context, context.statusCode() == 413
        ? SesException.tooLarge("The request is larger than SES accepts")
        : unexpected(context.failure())));
    return vertx.createHttpServer(UnreadableRequest.limitedTo(16 * 1024, 16 * 1024))
        .requestHandler(router)
        .invalidRequestHandler(this::unreadable)
        .listen(port, LOOPBACK)
        .onSuccess(listening -> server = listening);
  }

  int actualPort() {
    return server.actualPort();
  }

  /**
   * Authenticates the caller, then runs the operation, which authorizes it, on a worker thread and answers its JSON.
   */
  private void operation(RoutingContext context, Function<Principal, JsonObject> action) {
    Principal caller;
    try {
      caller = signatures.verify(context.request(), context.body().buffer() == null ? new byte[0]
          : context.body().buffer().getBytes());
    } catch (AuthenticationFailure failure) {
      error(context, SesException.notAuthenticated(failure));
      return;
    }
    vertx.executeBlocking(() -> action.apply(caller), false)
        .onSuccess(result -> context.response().setStatusCode(200)
            .putHeader("Content-Type", "application/json")
            .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
            .end(result.encode()))
        .onFailure(failure -> error(context, failure instanceof SesException known ? known : unexpected(failure)));
  }

  private void require(Principal caller, String action, String resourceArn) {
    Decision decision = iam.authorize(caller, action, resourceArn);
    if (!decision.allowed()) {
      throw SesException.accessDenied(decision.message());
    }
  }

  private String identityArn(String identity) {
    return "arn:aws:ses:" + iam.region() + ":" + iam.account() + ":identity/" + identity;
  }

  private String configurationSetArn(String name) {
    return "arn:aws:ses:" + iam.region() + ":" + iam.account() + ":configuration-set/" + name;
  }

  private JsonObject accountDetails() {
    SendQuota quota = account.quota();
    return new JsonObject()
        .put("DedicatedIpAutoWarmupEnabled", false)
        .put("EnforcementStatus", "HEALTHY")
        .put("ProductionAccessEnabled", true)
        .put("SendingEnabled", true)
        .put("SendQuota", new JsonObject()
            .put("Max24HourSend", (double) quota.max24HourSend())
            .put("MaxSendRate", quota.maxSendRate())
            .put("SentLast24Hours", (double) quota.sentLast24Hours()));
  }

  private JsonObject createIdentity(JsonObject request) {
    String identity = required(request, "EmailIdentity");
    account.createIdentity(identity);
    return new JsonObject()
        .put("IdentityType", identity.contains("@") ? "EMAIL_ADDRESS" : "DOMAIN")
        .put("VerifiedForSendingStatus", true);
  }

  private JsonObject identity(String identity) {
    if (!account.hasIdentity(identity)) {
      throw SesException.notFound("Email identity <" + identity + "> does not exist.");
    }
    return new JsonObject()
        .put("IdentityType", identity.contains("@") ? "EMAIL_ADDRESS" : "DOMAIN")
        .put("VerifiedForSendingStatus", true)
        .put("VerificationStatus", "SUCCESS");
  }

  private JsonObject addEventDestination(String configurationSet, JsonObject request) {
    String name = required(request, "EventDestinationName");
    JsonObject destination = request.getJsonObject("EventDestination", new JsonObject());
    JsonArray types = destination.getJsonArray("MatchingEventTypes", new JsonArray());
    Set<String> matching = new java.util.HashSet<>();
    for (Object type : types) {
      if (!EVENT_TYPES.contains(String.valueOf(type))) {
        throw SesException.badRequest("Unknown event type " + type);
      }
      matching.add(String.valueOf(type));
    }
    String topicArn = destination.getJsonObject("SnsDestination", new JsonObject()).getString("TopicArn");
    account.addEventDestination(configurationSet, new SesAccount.EventDestination(name,
        destination.getBoolean("Enabled", false), Set.copyOf(matching), topicArn));
    return new JsonObject();
  }

  private static JsonObject body(RoutingContext context) {
    try {
      JsonObject body = context.body().asJsonObject();
      if (body == null) {
        throw SesException.badRequest("The request needs a JSON body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw SesException.badRequest("The body is not a JSON object");
    }
  }

  private static String required(JsonObject request, String field) {
    String value = request.getString(field);
    if (value == null || value.isBlank()) {
      throw SesException.badRequest(field + " is required");
    }
    return value;
  }

  private void unreadable(HttpServerRequest request) {
    UnreadableRequest why = UnreadableRequest.of(request);
    why.answer(request, "application/json", new JsonObject().put("message", why.message()).encode());
  }

  private static SesException unexpected(Throwable failure) {
    LOG.error("The local SES failed on a request", failure);
    return SesException.internalError();
  }

  private static void error(RoutingContext context, SesException error) {
    context.response().setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("x-amzn-ErrorType", error.type())
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(error.body().encode());
  }
}
