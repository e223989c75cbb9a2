package dev.boxoffice.local.cloud;

import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.aws.apigateway.ApiGatewayRouter;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.EventSourceMappingDefinition;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import dev.boxoffice.local.aws.dynamodb.DynaliteInstallation;
import dev.boxoffice.local.aws.dynamodb.LocalDynamoDb;
import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.TemplateIam;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import dev.boxoffice.local.aws.lambda.SqsEventSourcePoller;
import dev.boxoffice.local.aws.mail.LocalMail;
import dev.boxoffice.local.aws.s3.LocalS3;
import dev.boxoffice.local.aws.secrets.LocalSecretsManager;
import dev.boxoffice.local.aws.secrets.SecretStore;
import dev.boxoffice.local.aws.ses.LocalSes;
import dev.boxoffice.local.aws.sns.LocalSns;
import dev.boxoffice.local.aws.sqs.LocalSqs;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.stepfunctions.StepFunctionsApiVerticle;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import dev.boxoffice.local.stripe.LocalStripe;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local AWS half, started in one call from {@code cloudformation/serverless.yaml} on a Vert.x of its own, as if
 * it were another machine: S3, Secrets Manager and the SSM Parameter Store seeded with the deployment's keys,
 * DynamoDB with the template's tables, SQS with the template's queues, SNS with the
 * template's subscriptions, SES with the template's identities and configuration sets, the mail catcher and inbox
 * where SES and SNS email lands, Step Functions with the template's state machines, API Gateway in front of the
 * template's Lambda functions, whose handler classes are loaded from the class path when first invoked, and the
 * template's SQS event source mappings polling for their functions. The local stack boots it for
 * {@code ./boxoffice up}; tests of every module boot it through {@link LocalCloudExtension}.
 *
 * <p>It hands out the endpoints of every service, the template's resources by logical id, SDK clients signed as
 * {@link LocalPrincipal#admin()} for setup and assertions, and the environment each function runs with, built here
 * and only here ({@link #functionEnvironment}). Local credentials are {@link LocalPrincipal}s. Beside the AWS
 * services it starts the local Stripe server ({@link #stripe()}), the card payment provider's stand-in.
 *
 * <p>Longer than most classes on purpose: it is the one seam every module's tests and the stack boot through, so the
 * start order (IAM first, then the services each later one needs), the seeding and the functions' environment stay in
 * one place rather than in copies.
 */
public final class LocalCloud implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCloud.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  /** The template parameter that sets the SES account's sending rate, which the local SES enforces. */
  private static final String SES_MAX_SEND_RATE = "SesMaxSendRate";
  private static final long UNLIMITED = -1;

  private final Vertx vertx = Vertx.vertx();
  private final LocalCloudSettings settings;
  private final CloudFormationTemplate template;
  private LocalS3 s3;
  private LocalDynamoDb dynamoDb;
  private LocalSqs sqs;
  private LocalMail mail;
  private LocalSns sns;
  private LocalSecretsManager secretsManager;
  private LocalSes ses;
  private final List<SqsEventSourcePoller> pollers = new ArrayList<>();
  private TemplateIam iam;
  private LocalPrincipals principals;
  private LambdaRunner lambdas;
  private StepFunctionsEngine stepFunctions;
  private URI stepFunctionsEndpoint;
  private URI apiGatewayEndpoint;
  private AdminClients admin;
  private TemplateResources resources;
  private LocalStripe stripe;

  private LocalCloud(LocalCloudSettings settings) {
    this.settings = settings;
    this.template = CloudFormationTemplate.load(settings.template(), settings.templateParameters(),
        CloudFormationTemplate.DEFAULT_STACK_NAME);
  }

  /** Starts every service, then creates the template's topics, buckets and state machines in them. */
  public static LocalCloud start(LocalCloudSettings settings) throws Exception {
    LocalCloud cloud = new LocalCloud(settings);
    try {
      cloud.startServices();
      return cloud;
    } catch (Exception e) {
      cloud.close();
      throw e;
    }
  }

  private void startServices() throws Exception {
    LocalCloudSettings.Ports ports = settings.ports();
    LocalAccount account = settings.account();
    LocalQuotas quotas = account.quotas();
    Path data = settings.dataDir();
    iam = TemplateIam.load(template, LocalCredentials.ADMINISTRATOR, account.iamEnforced());
    principals = new LocalPrincipals(template, iam);
    s3 = LocalS3.start(data, ports.s3(), iam.iam());
    secretsManager = LocalSecretsManager.start(vertx, ports.secrets(), iam.iam())
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    seedSecrets();
    dynamoDb = LocalDynamoDb.start(data.resolve("dynamodb"), ports.dynamoDb(), template,
        new DynaliteInstallation(settings.repositoryRoot().resolve("local/aws")), iam.iam());
    sqs = LocalSqs.start(concrete(ports.sqs()), iam.iam());
    mail = LocalMail.start(vertx, ports.smtp(), ports.inbox()).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    // Fixed before they start, so the functions can be told where they are.
    int snsPort = concrete(ports.sns());
    int stepFunctionsPort = concrete(ports.stepFunctions());
    int sesPort = concrete(ports.ses());
    int apiGatewayPort = concrete(ports.apiGateway());
    URI snsEndpoint = URI.create("http://127.0.0.1:" + snsPort);
    stepFunctionsEndpoint = URI.create("http://127.0.0.1:" + stepFunctionsPort);
    URI sesEndpoint = URI.create("http://127.0.0.1:" + sesPort);
    Map<String, String> endpointVariables = Map.of(
        "BOXOFFICE_S3_ENDPOINT", s3.endpoint().toString(),
        "BOXOFFICE_DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString(),
        "BOXOFFICE_SNS_ENDPOINT", snsEndpoint.toString(),
        "BOXOFFICE_SFN_ENDPOINT", stepFunctionsEndpoint.toString(),
        "BOXOFFICE_SES_ENDPOINT", sesEndpoint.toString(),
        "BOXOFFICE_SECRETSMANAGER_ENDPOINT", secretsManager.endpoint().toString(),
        "BOXOFFICE_SSM_ENDPOINT", secretsManager.endpoint().toString(),
        // The template builds the API's URL from its execute-api host; here the router answers it.
        "BOXOFFICE_API_URL", "http://127.0.0.1:" + apiGatewayPort);
    lambdas = LambdaRunner.forTemplate(vertx, template, function -> functionOverrides(function, endpointVariables),
        quotas.lambda());
    lambdas.injectFaults(account.lambdaFaults());

    sns = LocalSns.start(vertx, data.resolve("sns"), snsPort,
        new LocalSns.Endpoints(mail.mailer(), lambdas, sqs.endpoint()), iam.iam(), quotas.sns())
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ses = LocalSes.start(vertx, sesPort, new LocalSes.Quota(
        Double.parseDouble(template.parameterValue(SES_MAX_SEND_RATE)), UNLIMITED), mail.mailer(), snsEndpoint, iam.iam())
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    stepFunctions = new StepFunctionsEngine(vertx, new StepFunctionsConfig("127.0.0.1", stepFunctionsPort,
        LocalPrincipal.REGION, StepFunctionsConfig.LOCAL_ACCOUNT, sns.snsEndpoint(), dynamoDb.endpoint(),
        this::stateMachineCredentials, quotas.stepFunctions()), new LambdaTasks(lambdas, iam.iam()));
    vertx.deployVerticle(new StepFunctionsApiVerticle(stepFunctions, new StepFunctionsAccess(iam.iam())))
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    admin = new AdminClients(LocalPrincipal.admin(), s3.endpoint(), dynamoDb.endpoint(), sns.snsEndpoint(),
        stepFunctionsEndpoint, sqs.endpoint(), ses.endpoint());

    resources = TemplateResources.create(template, admin, stepFunctions);
    ApiGatewayRouter router = new ApiGatewayRouter(template, lambdas, apiGatewayPort, iam.iam());
    vertx.deployVerticle(router).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    apiGatewayEndpoint = router.endpoint();
    startEventSourceMappings();
    stripe = LocalStripe.start(LocalStripe.Settings.defaults(ports.stripe()));
    LOG.info("local AWS half up: S3 {}, DynamoDB {}, SQS {}, SNS {}, SES {}, Step Functions {}, API Gateway {};"
        + " Stripe {}; IAM {}, quotas of {} (Lambda concurrency {})", s3.endpoint(), dynamoDb.endpoint(),
        sqs.endpoint(), sns.snsEndpoint(), ses.endpoint(), stepFunctionsEndpoint, apiGatewayEndpoint,
        stripe.apiBase(), account.iamEnforced() ? "enforced" : "off", quotas.region(),
        quotas.lambda().accountConcurrency() == Integer.MAX_VALUE ? "unlimited"
            : quotas.lambda().accountConcurrency());
  }

  /** Each mapping polls as its function's role, as Lambda's pollers do. */
  private void startEventSourceMappings() {
    for (EventSourceMappingDefinition mapping : template.queueEventSourceMappings()) {
      FunctionDefinition function = lambdas.functions().get(mapping.functionName());
      if (function == null) {
        throw new IllegalStateException(mapping.logicalId() + " names no function of the template: "
            + mapping.functionName());
      }
      pollers.add(SqsEventSourcePoller.start(mapping,
          AdminClients.sqsClient(principals.function(function.logicalId()), sqs.endpoint()), lambdas));
    }
  }

  private static int concrete(int port) {
    return port == 0 ? LoopbackPorts.free() : port;
  }

  /**
   * What a function gets over its template variables, in one place: the local endpoints, the deployment's secrets
   * and settings, and the temporary credentials of its own role.
   */
  private Map<String, String> functionOverrides(FunctionDefinition function, Map<String, String> endpoints) {
    Map<String, String> overrides = new HashMap<>(endpoints);
    overrides.putAll(settings.functionSecrets().publicEnvironment());
    overrides.putAll(settings.functionSettings());
    overrides.putAll(principals.function(function.logicalId()).environment());
    return overrides;
  }

  /**
   * What the operator creates before the first deployment: the keys secret the functions read, and the public keys
   * in the Parameter Store under the names the templates give them.
   */
  private void seedSecrets() {
    FunctionSecrets keys = settings.functionSecrets();
    SecretStore store = secretsManager.store();
    store.createSecret(template.ref("KeysSecretArn"), keys.keysSecretJson());
    store.putParameter(template.ref("SessionPublicKeyParameterName"), "String",
        SessionTokens.publicKeyPem(keys.sessionKeys().getPublic()), false);
    TemplateIam.computeStack(template).ifPresent(compute -> store.putParameter(
        compute.ref("TicketPublicKeyParameterName"), "String",
        SessionTokens.publicKeyPem(keys.ticketKeys().getPublic()), false));
  }

  /** What the engine signs a state machine's SNS and DynamoDB calls with: its role's session. */
  private AwsCredentialsProvider stateMachineCredentials(String roleArn) {
    return LocalPrincipal.of("state-machine", iam.iam().session(roleArn)).credentialsProvider();
  }

  public URI s3Endpoint() {
    return s3.endpoint();
  }

  public URI dynamoDbEndpoint() {
    return dynamoDb.endpoint();
  }

  public URI snsEndpoint() {
    return sns.snsEndpoint();
  }

  /** The local Secrets Manager and SSM Parameter Store, one endpoint for both clients. */
  public URI secretsManagerEndpoint() {
    return secretsManager.endpoint();
  }

  /**
   * The secrets and parameters of the local account, as its owner sees them: to rotate a secret in a test, or to
   * create one as an operator does (the local stack's Stripe keys).
   */
  public SecretStore secretStore() {
    return secretsManager.store();
  }

  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  public URI sesEndpoint() {
    return ses.endpoint();
  }

  public URI stepFunctionsEndpoint() {
    return stepFunctionsEndpoint;
  }

  /** The REST API's base URL, its paths served from the root (no stage prefix). */
  public URI apiGatewayEndpoint() {
    return apiGatewayEndpoint;
  }

  /** The web inbox where every mail SES and SNS sent can be read. */
  public URI inboxUrl() {
    return mail.inboxUrl();
  }

  public LocalInbox inbox() {
    return new LocalInbox(mail.inboxUrl());
  }

  /** The local Stripe server: its API base, its secret key, and its webhook endpoints. */
  public LocalStripe stripe() {
    return stripe;
  }

  /** SDK clients signed as {@link LocalPrincipal#admin()}, for setting things up and looking inside. */
  public AdminClients admin() {
    return admin;
  }

  /** The credentials of each role of the templates (and the administrator's), to call as that role. */
  public LocalPrincipals principals() {
    return principals;
  }

  /** The Lambda runner, to look at what the functions' execution environments did. */
  public LambdaRunner lambdas() {
    return lambdas;
  }

  /** The Step Functions engine, to look at executions in process. */
  public StepFunctionsEngine stepFunctions() {
    return stepFunctions;
  }

  /**
   * The complete environment the function of template logical id {@code logicalId} (e.g. {@code VerifyOtpFunction})
   * runs with here: its template variables, the local endpoints, secrets and settings, its role's credentials and
   * the variables Lambda sets; a test builds a handler with it exactly as the Lambda runner does.
   */
  public Map<String, String> functionEnvironment(String logicalId) {
    return lambdas.environmentOf(function(logicalId));
  }

  /** {@link #functionEnvironment(String)} with some variables replaced or added, for a test's variant. */
  public Map<String, String> functionEnvironment(String logicalId, Map<String, String> overrides) {
    Map<String, String> environment = new HashMap<>(functionEnvironment(logicalId));
    environment.putAll(overrides);
    return environment;
  }

  private FunctionDefinition function(String logicalId) {
    return lambdas.functions().values().stream().filter(function -> function.logicalId().equals(logicalId))
        .findFirst().orElseThrow(() -> new NoSuchElementException("no Lambda function " + logicalId + " in "
            + template.file()));
  }

  /** The keys the functions read, e.g. the session key pair to sign a test's tokens with. */
  public FunctionSecrets secrets() {
    return settings.functionSecrets();
  }

  /** The topics, buckets, tables and state machines created from the template, by logical id. */
  public TemplateResources resources() {
    return resources;
  }

  /** The keys under {@code prefix} in the bucket created from the template's bucket {@code logicalId}. */
  public List<String> objectKeys(String bucketLogicalId, String prefix) {
    return admin.s3().listObjectsV2Paginator(list -> list.bucket(resources.bucketName(bucketLogicalId)).prefix(prefix))
        .contents().stream().map(S3Object::key).toList();
  }

  @Override
  public void close() {
    Shutdown shutdown = new Shutdown(LOG);
    shutdown.run("SQS event source mappings", () -> pollers.forEach(SqsEventSourcePoller::close));
    shutdown.run("admin clients", () -> {
      if (admin != null) {
        admin.close();
      }
    });
    shutdown.run("SES", () -> {
      if (ses != null) {
        ses.stop().await(10, TimeUnit.SECONDS);
      }
    });
    shutdown.run("Stripe", () -> {
      if (stripe != null) {
        stripe.close();
      }
    });
    shutdown.run("SNS", () -> {
      if (sns != null) {
        sns.stop().await(10, TimeUnit.SECONDS);
      }
    });
    shutdown.run("mail catcher", () -> {
      if (mail != null) {
        mail.stop().await(10, TimeUnit.SECONDS);
      }
    });
    shutdown.run("Step Functions", () -> {
      if (stepFunctions != null) {
        stepFunctions.close();
      }
    });
    shutdown.run("Vert.x", () -> vertx.close().await(10, TimeUnit.SECONDS));
    shutdown.run("Lambda runner", () -> {
      if (lambdas != null) {
        lambdas.close();
      }
    });
    shutdown.run("DynamoDB", () -> {
      if (dynamoDb != null) {
        dynamoDb.close();
      }
    });
    shutdown.run("S3", () -> {
      if (s3 != null) {
        s3.close();
      }
    });
    shutdown.run("SQS", () -> {
      if (sqs != null) {
        sqs.close();
      }
    });
  }
}
