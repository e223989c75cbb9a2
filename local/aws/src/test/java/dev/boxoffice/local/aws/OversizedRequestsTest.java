package dev.boxoffice.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.apigateway.ApiGatewayRouter;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import dev.boxoffice.local.aws.s3.LocalS3;
import dev.boxoffice.local.aws.sns.SnsWithMail;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 5 KB or 100 KB URL and a 100 KB header to every local endpoint of this module: each answers in its service's
 * own error shape, never with an empty 414 or 431.
 */
class OversizedRequestsTest {

  private static final int HUGE = 100 * 1024;

  @TempDir
  static Path dataDir;

  private static Vertx vertx;
  private static LocalS3 s3;
  private static SnsWithMail sns;
  private static LambdaRunner lambdas;
  private static ApiGatewayRouter router;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    s3 = LocalS3.start(dataDir, 0);
    CloudFormationTemplate testApi = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));
    lambdas = LambdaRunner.forTemplate(vertx, testApi, function -> Map.of());
    sns = SnsWithMail.start(vertx, dataDir.resolve("sns"), lambdas).await(30, TimeUnit.SECONDS);
    router = new ApiGatewayRouter(testApi, lambdas, 0);
    vertx.deployVerticle(router).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    sns.stop().await(10, TimeUnit.SECONDS);
    lambdas.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    s3.stop();
  }

  @Test
  @DisplayName("S3 answers a 100 KB URL or header with its XML RequestHeaderSectionTooLarge, and a 5 KB key with "
      + "KeyTooLongError")
  void s3() throws Exception {
    URI endpoint = s3.endpoint();

    RawHttp.Response hugeUrl = RawHttp.get(endpoint, RawHttp.padded("/bucket/", HUGE), 0);
    RawHttp.Response hugeHeader = RawHttp.get(endpoint, "/bucket/key", HUGE);
    RawHttp.Response longKey = RawHttp.get(endpoint, RawHttp.padded("/bucket/", 5 * 1024), 0);

    for (RawHttp.Response response : new RawHttp.Response[] {hugeUrl, hugeHeader}) {
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.headers()).contains("content-type: application/xml");
      assertThat(response.body()).contains("<Error><Code>RequestHeaderSectionTooLarge</Code>")
          .contains("<MaxSizeAllowed>8192</MaxSizeAllowed>");
    }
    assertThat(longKey.status()).isEqualTo(400);
    assertThat(longKey.body()).contains("<Code>KeyTooLongError</Code>").contains("<MaxSizeAllowed>1024");
  }

  @Test
  @DisplayName("SNS answers a 100 KB URL or header with its query-protocol XML ErrorResponse, and serves a 5 KB URL")
  void sns() throws Exception {
    URI endpoint = sns.snsEndpoint();

    RawHttp.Response hugeUrl = RawHttp.get(endpoint, RawHttp.padded("/?Action=ListTopics&x=", HUGE), 0);
    RawHttp.Response hugeHeader = RawHttp.get(endpoint, "/?Action=ListTopics", HUGE);
    RawHttp.Response fiveKb = RawHttp.get(endpoint, RawHttp.padded("/?Action=ListTopics&x=", 5 * 1024), 0);

    assertThat(hugeUrl.status()).isEqualTo(414);
    assertThat(hugeUrl.body()).contains("<ErrorResponse").contains("<Type>Sender</Type>")
        .contains("<Code>RequestURITooLong</Code>").contains("<RequestId>");
    assertThat(hugeHeader.status()).isEqualTo(431);
    assertThat(hugeHeader.body()).contains("<ErrorResponse").contains("<Code>RequestHeaderFieldsTooLarge</Code>");
    // read whole: refused for its missing signature, not for its length
    assertThat(fiveKb.status()).isEqualTo(403);
    assertThat(fiveKb.body()).contains("<Code>MissingAuthenticationToken</Code>");
  }

  @Test
  @DisplayName("the API Gateway router answers past API Gateway's 10 KB request line and headers with its JSON "
      + "message, and routes a 5 KB URL")
  void apiGateway() throws Exception {
    URI endpoint = router.endpoint();

    RawHttp.Response hugeUrl = RawHttp.get(endpoint, RawHttp.padded("/events/ev-1?q=", HUGE), 0);
    RawHttp.Response hugeHeader = RawHttp.get(endpoint, "/events/ev-1", HUGE);
    RawHttp.Response togetherTooLarge = RawHttp.get(endpoint, RawHttp.padded("/events/ev-1?q=", 6 * 1024), 6 * 1024);
    RawHttp.Response fiveKb = RawHttp.get(endpoint, RawHttp.padded("/events/ev-1?q=", 5 * 1024), 0);

    assertThat(hugeUrl.status()).isEqualTo(414);
    assertThat(new JsonObject(hugeUrl.body()).getString("message")).isEqualTo("Request-URI Too Long");
    assertThat(hugeHeader.status()).isEqualTo(431);
    assertThat(new JsonObject(hugeHeader.body()).getString("message")).isEqualTo("Request Header Fields Too Large");
    assertThat(togetherTooLarge.status()).isIn(414, 431);
    assertThat(new JsonObject(togetherTooLarge.body()).containsKey("message")).isTrue();
    assertThat(fiveKb.status()).isEqualTo(200);
    assertThat(fiveKb.body()).contains("\"eventId\":\"ev-1\"");
  }

  @Test
  @DisplayName("the inbox answers a 100 KB URL or header with Boxoffice's JSON error")
  void inbox() throws Exception {
    URI endpoint = sns.inboxUrl();

    RawHttp.Response hugeUrl = RawHttp.get(endpoint, RawHttp.padded("/api/messages?to=", HUGE), 0);
    RawHttp.Response hugeHeader = RawHttp.get(endpoint, "/api/messages", HUGE);

    assertThat(hugeUrl.status()).isEqualTo(414);
    assertThat(new JsonObject(hugeUrl.body()).getString("code")).isEqualTo("uri_too_long");
    assertThat(hugeHeader.status()).isEqualTo(431);
    assertThat(new JsonObject(hugeHeader.body()).getString("code")).isEqualTo("headers_too_large");
    assertThat(new JsonObject(hugeHeader.body()).getString("message")).isNotBlank();
  }
}
