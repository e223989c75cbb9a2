package dev.boxoffice.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.apigateway.ApiGatewayRouter;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.dynamodb.LocalDynamoDb;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SecondClientTest {

  private static final Path AWS_CLI = Path.of("/usr/bin/aws");

  @TempDir
  Path dataDir;

  private LocalDynamoDb dynamoDb;
  private LambdaRunner lambdas;
  private ApiGatewayRouter router;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) throws Exception {
    dynamoDb = LocalDynamoDb.start(dataDir, 0, RepositoryFiles.serverlessTemplate());
    CloudFormationTemplate testApi = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));
    lambdas = LambdaRunner.forTemplate(vertx, testApi, function -> Map.of());
    router = new ApiGatewayRouter(testApi, lambdas, 0);
    vertx.deployVerticle(router).onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stop() {
    lambdas.close();
    dynamoDb.stop();
  }

  @Test
  @DisplayName("scripts/second-client.sh drives DynamoDB with the AWS CLI and the router with curl")
  void awsCliAndCurl() throws Exception {
    assertThat(AWS_CLI).as("the AWS CLI from Debian is the second client: apt-get install -y awscli").isExecutable();
    ProcessBuilder builder = new ProcessBuilder("bash",
        RepositoryFiles.root().resolve("local/aws/scripts/second-client.sh").toString())
        .redirectErrorStream(true);
    builder.environment().put("DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString());
    builder.environment().put("API_ENDPOINT", router.endpoint().toString());
    builder.environment().put("AWS_CLI", AWS_CLI.toString());

    Process script = builder.start();
    boolean finished = script.waitFor(90, TimeUnit.SECONDS);
    if (!finished) {
      script.destroyForcibly();
    }
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(finished).as("the script finished within 90 s; output so far:%n%s", output).isTrue();
    assertThat(script.exitValue()).as("the script's exit code; its output:%n%s", output).isZero();
    assertThat(output).contains("second-client: all checks passed with aws-cli/").doesNotContain("FAIL");
  }
}
