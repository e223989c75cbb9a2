package dev.boxoffice.local.aws.s3;

import com.fasterxml.jackson.core.JacksonException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * S3Proxy 2.9.0 lets the parse error of a malformed XML body (DeleteObjects, CompleteMultipartUpload, ACLs ...)
 * escape as a 500; S3 answers 400 MalformedXML. This handler wraps S3Proxy's own and answers like S3.
 */
final class MalformedXmlGuard extends HandlerWrapper {

  private static final String MALFORMED_XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Error><Code>MalformedXML</Code><Message>The XML you provided was not well-formed or did not validate \
      against our published schema</Message><RequestId>%s</RequestId></Error>""";

  /** Installs the guard in front of the handler of a built, not yet started S3Proxy. */
  static void install(S3Proxy proxy) {
    try {
      Field serverField = S3Proxy.class.getDeclaredField("server");
      serverField.setAccessible(true);
      Server server = (Server) serverField.get(proxy);
      MalformedXmlGuard guard = new MalformedXmlGuard();
      guard.setHandler(server.getHandler());
      server.setHandler(guard);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this S3Proxy version has no Jetty server field to guard", e);
    }
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    try {
      super.handle(target, baseRequest, request, response);
    } catch (JacksonException malformedBody) {
      if (response.isCommitted()) {
        throw malformedBody;
      }
      response.resetBuffer();
      response.setStatus(400);
      response.setContentType("application/xml");
      response.getOutputStream().write(
          MALFORMED_XML.formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
      baseRequest.setHandled(true);
    }
  }
}
