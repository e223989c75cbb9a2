package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.LocalCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** What the SNS tests share: an SDK client with the local dummy credentials, and reading the web inbox over HTTP. */
final class SnsTestSupport {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SnsTestSupport() {
  }

  static SnsClient snsClient(URI endpoint) {
    return SnsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("boxoffice", "boxoffice-local-secret")))
        .build();
  }

  /** The inbox's JSON list of mails to an address, newest first. */
  static List<JsonObject> mailsTo(URI inbox, String address) {
    HttpResponse<String> response = get(inbox.resolve("/api/messages?to="
        + URLEncoder.encode(address, StandardCharsets.UTF_8)).toString(), "application/json");
    if (response.statusCode() != 200) {
      throw new AssertionError("inbox answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonArray(response.body()).stream().map(JsonObject.class::cast).toList();
  }

  /** Polls the inbox until a mail to the address satisfies the predicate; fails after ten seconds. */
  static JsonObject awaitMail(URI inbox, String address, Predicate<JsonObject> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonObject mail : mailsTo(inbox, address)) {
        if (wanted.test(mail)) {
          return mail;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no matching mail to " + address + " arrived; inbox holds " + mailsTo(inbox, address));
  }

  static boolean hasSubject(JsonObject mail, String subject) {
    return subject.equals(mail.getString("subject"));
  }

  static HttpResponse<String> get(String url, String accept) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET().build());
  }

  /** A form POST signed with the local administrator's key, as the SDKs sign theirs. */
  static HttpResponse<String> postForm(URI endpoint, String body) {
    SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(AwsCredentialsIdentity.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY))
        .request(unsigned)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sns")
        .putProperty(AwsV4HttpSigner.REGION_NAME, LocalCredentials.REGION));
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).version(HttpClient.Version.HTTP_1_1)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    signed.request().headers().forEach((name, values) -> {
      if (!List.of("host", "content-length").contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return send(request.build());
  }

  /** A form POST with no signature at all. */
  static HttpResponse<String> postUnsignedForm(URI endpoint, String body) {
    return send(HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
