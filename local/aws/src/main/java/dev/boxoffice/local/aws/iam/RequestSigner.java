package dev.boxoffice.local.aws.iam;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * SigV4 for the calls one local service makes to another on behalf of an AWS service principal (SNS delivering to a
 * queue, SES publishing an event), signed as the SDKs sign, so the receiving endpoint checks them like any caller's.
 */
public final class RequestSigner {

  private static final List<String> SET_BY_THE_CLIENT = List.of("host", "content-length");

  private RequestSigner() {
  }

  /** The headers to add to a POST of {@code body} to {@code uri}: {@code Authorization}, {@code X-Amz-Date}... */
  public static Map<String, String> post(Principal signer, String service, String region, URI uri,
                                         Map<String, String> headers, byte[] body) {
    AccessKey key = signer.key();
    AwsCredentialsIdentity identity = key.sessionToken() == null
        ? AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey(), key.sessionToken());
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
    headers.forEach(unsigned::putHeader);
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(identity)
        .request(unsigned.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    Map<String, String> signedHeaders = new LinkedHashMap<>();
    signed.request().headers().forEach((name, values) -> {
      if (!SET_BY_THE_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
        signedHeaders.put(name, String.join(",", values));
      }
    });
    return signedHeaders;
  }
}
