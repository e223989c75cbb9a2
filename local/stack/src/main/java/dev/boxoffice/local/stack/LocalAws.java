package dev.boxoffice.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.apigateway.ApiGatewayRouter;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.dynamodb.DynaliteInstallation;
import dev.boxoffice.local.aws.dynamodb.LocalDynamoDb;
import dev.boxoffice.local.aws.lambda.LambdaFunctionError;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import dev.boxoffice.local.aws.s3.LocalS3;
import dev.boxoffice.local.aws.sns.LocalSns;
import dev.boxoffice.local.stepfunctions.StatesError;
import dev.boxoffice.local.stepfunctions.StepFunctionsApiVerticle;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The AWS half of the local stack, on a Vert.x of its own as if it were another machine: S3, DynamoDB, SNS with its
 * mail catcher and inbox, Step Functions, and API Gateway in front of the Lambda handlers. Tables, topics, buckets,
 * functions, routes and state machines all come from {@code cloudformation/serverless.yaml}; nothing is declared
 * twice.
 */
public final class LocalAws implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);
  private static final long START_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final Map<String, URI> endpoints = new LinkedHashMap<>();
  private final Map<String, String> stateMachineArns = new LinkedHashMap<>();
  private final Map<String, String> bucketNames = new LinkedHashMap<>();
  private final Map<String, String> topicArns = new LinkedHashMap<>();
  private CloudFormationTemplate template;
  private LocalS3 s3;
  private LocalDynamoDb dynamoDb;
  private LocalSns sns;
  private LambdaRunner lambdas;
  private StepFunctionsEngine stepFunctions;
  private S3Client mediaClient;

  private LocalAws(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Starts every local AWS service on the ports of {@code settings}, all on 127.0.0.1.
   *
   * @param lambdaSettings environment variables given to every function over the template's own, for what AWS
   *     resolves from Secrets Manager and SSM at deployment
   */
  public static LocalAws start(LocalStackSettings settings, Path repositoryRoot,
                               Map<String, String> lambdaSettings) throws Exception {
    LocalAws aws = new LocalAws(Vertx.vertx());
    try {
      aws.startServices(settings, repositoryRoot, lambdaSettings);
      return aws;
    } catch (Exception e) {
      aws.close();
      throw e;
    }
  }

  private void startServices(LocalStackSettings settings, Path repositoryRoot, Map<String, String> lambdaSettings)
      throws Exception {
    Path templateFile = repositoryRoot.resolve("cloudformation/serverless.yaml");
    template = CloudFormationTemplate.load(templateFile);
    Path data = settings.dataDir();

    s3 = LocalS3.start(data, settings.s3Port());
    endpoints.put("S3", s3.endpoint());
    dynamoDb = LocalDynamoDb.start(data.resolve("dynamodb"), settings.dynamoDbPort(), template,
        new DynaliteInstallation(repositoryRoot.resolve("local/aws")));
    endpoints.put("DynamoDB", dynamoDb.endpoint());
    URI snsEndpoint = URI.create("http://127.0.0.1:" + settings.snsPort());
    URI sfnEndpoint = URI.create("http://127.0.0.1:" + settings.stepFunctionsPort());

    Map<String, String> lambdaEnvironment = new LinkedHashMap<>(lambdaSettings);
    lambdaEnvironment.put("BOXOFFICE_S3_ENDPOINT", s3.endpoint().toString());
    lambdaEnvironment.put("BOXOFFICE_DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString());
    lambdaEnvironment.put("BOXOFFICE_SNS_ENDPOINT", snsEndpoint.toString());
    lambdaEnvironment.put("BOXOFFICE_SFN_ENDPOINT", sfnEndpoint.toString());
    lambdas = LambdaRunner.forTemplate(vertx, template, lambdaEnvironment);

    sns = LocalSns.start(vertx, data.resolve("sns"), settings.snsPort(), settings.smtpPort(), settings.inboxPort(),
        lambdas).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    endpoints.put("SNS", sns.snsEndpoint());

    stepFunctions = new StepFunctionsEngine(vertx, new StepFunctionsConfig("127.0.0.1", settings.stepFunctionsPort(),
        LocalCredentials.REGION, StepFunctionsConfig.LOCAL_ACCOUNT, sns.snsEndpoint(), dynamoDb.endpoint(),
        LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY), this::invokeLambda);
    StepFunctionsApiVerticle stepFunctionsApi = new StepFunctionsApiVerticle(stepFunctions);
    vertx.deployVerticle(stepFunctionsApi).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    endpoints.put("Step Functions", sfnEndpoint);

    createTopicsAndBuckets(template);
    createStateMachines(template);

    if (!bucketNames.isEmpty()) {
      mediaClient = s3Client();
      LocalImageCdn images = new LocalImageCdn(mediaClient, bucketNames.values().iterator().next(),
          settings.mediaPort());
      vertx.deployVerticle(images).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      endpoints.put("Event images", images.endpoint());
    }

    ApiGatewayRouter router = new ApiGatewayRouter(template, lambdas, settings.apiGatewayPort());
    vertx.deployVerticle(router).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    endpoints.put("API Gateway", router.endpoint());
    endpoints.put("Email inbox", sns.inboxUrl());
  }

  /** Adapts the Lambda runner's failures to the errors Step Functions reports for a Lambda task. */
  private Future<String> invokeLambda(String function, String payload) {
    return lambdas.invoke(function, payload).recover(failure -> Future.failedFuture(
        failure instanceof LambdaFunctionError error
            ? dev.boxoffice.local.stepfunctions.LambdaInvoker.functionError(error.errorType(), error.errorMessage())
            : new StatesError("Lambda.ServiceException", String.valueOf(failure.getMessage()))));
  }

  private void createTopicsAndBuckets(CloudFormationTemplate template) {
    try (SnsClient snsClient = SnsClient.builder()
        .endpointOverride(sns.snsEndpoint())
        .region(Region.of(LocalCredentials.REGION))
        .credentialsProvider(credentials())
        .build()) {
      for (String topic : template.resourceIdsOfType("AWS::SNS::Topic")) {
        String name = template.resolvedProperties(topic).path("TopicName").asText(topic);
        topicArns.put(topic, snsClient.createTopic(request -> request.name(name)).topicArn());
      }
    }
    try (S3Client s3Client = s3Client()) {
      for (String bucket : template.resourceIdsOfType("AWS::S3::Bucket")) {
        String name = template.resolvedProperties(bucket).path("BucketName").asText();
        bucketNames.put(bucket, name);
        try {
          s3Client.createBucket(request -> request.bucket(name));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
          LOG.debug("bucket {} kept from an earlier start", name);
        }
      }
    }
  }

  /** Creates each template state machine from its file in {@code state-machines/}, with its substitutions. */
  private void createStateMachines(CloudFormationTemplate template) throws IOException {
    for (String logicalId : template.resourceIdsOfType("AWS::StepFunctions::StateMachine")) {
      JsonNode properties = template.resolvedProperties(logicalId);
      Path definitionFile = template.file().getParent().resolve(properties.path("DefinitionS3Location").asText())
          .normalize();
      String definition = Files.readString(definitionFile);
      for (Map.Entry<String, JsonNode> substitution : properties.path("DefinitionSubstitutions").properties()) {
        definition = definition.replace("${" + substitution.getKey() + "}", substitution.getValue().asText());
      }
      String name = properties.path("StateMachineName").asText(logicalId);
      String arn = stepFunctions.createStateMachine(name, definition,
          properties.path("RoleArn").asText("arn:aws:iam::000000000000:role/" + name)).arn();
      stateMachineArns.put(logicalId, arn);
    }
  }

  private S3Client s3Client() {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .forcePathStyle(true)
        .region(Region.of(LocalCredentials.REGION))
        .credentialsProvider(credentials())
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY));
  }

  /** Service name to endpoint, in the order the banner prints them. */
  public Map<String, URI> endpoints() {
    return endpoints;
  }

  /** Logical id in the template to the name of the bucket created from it. */
  public Map<String, String> bucketNames() {
    return bucketNames;
  }

  /** Logical id in the template to the ARN of the topic created from it. */
  public Map<String, String> topicArns() {
    return topicArns;
  }

  /** Logical id in the template to the name of the table created from it. */
  public Map<String, String> tableNames() {
    Map<String, String> names = new LinkedHashMap<>();
    template.tables().forEach(table -> names.put(table.logicalId(), table.tableName()));
    return names;
  }

  /** Logical id in the template to the ARN of the state machine created from it. */
  public Map<String, String> stateMachineArns() {
    return stateMachineArns;
  }

  @Override
  public void close() {
    AtomicReference<Exception> first = new AtomicReference<>();
    closeQuietly(() -> {
      if (sns != null) {
        sns.stop().await(10, TimeUnit.SECONDS);
      }
    }, first);
    closeQuietly(() -> {
      if (stepFunctions != null) {
        stepFunctions.close();
      }
    }, first);
    closeQuietly(() -> vertx.close().await(10, TimeUnit.SECONDS), first);
    closeQuietly(() -> {
      if (mediaClient != null) {
        mediaClient.close();
      }
    }, first);
    closeQuietly(() -> {
      if (lambdas != null) {
        lambdas.close();
      }
    }, first);
    closeQuietly(() -> {
      if (dynamoDb != null) {
        dynamoDb.close();
      }
    }, first);
    closeQuietly(() -> {
      if (s3 != null) {
        s3.close();
      }
    }, first);
    if (first.get() != null) {
      LOG.warn("the local AWS services did not all stop cleanly", first.get());
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void closeQuietly(Step step, AtomicReference<Exception> first) {
    try {
      step.run();
    } catch (Exception e) {
      first.compareAndSet(null, e);
    }
  }
}
