package dev.boxoffice.backend.auth;

import java.security.Provider;
import java.security.Security;

/**
 * Makes BouncyCastle's Ed25519 the JVM's first choice for Ed25519 signatures, which is what the codecs' session
 * token verifier (jjwt) asks {@code Signature.getInstance("EdDSA")} for. On this project's 2-core machines a
 * verification is several times faster with it than with the JDK's own ({@code SessionVerificationBenchmark}), and
 * every first request of a buyer in a rush needs one. Only the
 * Ed25519/EdDSA signature service comes from BouncyCastle; keys, TLS and every other algorithm stay the JDK's.
 */
public final class Ed25519Signatures {

  static final String PROVIDER_NAME = "BoxofficeEd25519";

  private Ed25519Signatures() {
  }

  public static synchronized void install() {
    if (Security.getProvider(PROVIDER_NAME) != null) {
      return;
    }
    Provider provider = new Provider(PROVIDER_NAME, "1", "BouncyCastle's Ed25519 signatures, nothing else") {
    };
    provider.put("Signature.Ed25519", "org.bouncycastle.jcajce.provider.asymmetric.edec.SignatureSpi$Ed25519");
    provider.put("Signature.EdDSA", "org.bouncycastle.jcajce.provider.asymmetric.edec.SignatureSpi$EdDSA");
    Security.insertProviderAt(provider, 1);
  }
}
