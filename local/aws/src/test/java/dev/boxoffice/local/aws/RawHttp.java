package dev.boxoffice.local.aws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends a request exactly as written, whatever its size, and reads what the server answers until it closes the
 * connection: what an oversized request gets, without a client library that would refuse to send it.
 */
public final class RawHttp {

  /** A response as received: the status, the header section in lower case, the body. */
  public record Response(int status, String headers, String body) {
  }

  private RawHttp() {
  }

  /** {@code GET target} with an {@code X-Padding} header of {@code paddingBytes} bytes when it is above zero. */
  public static Response get(URI endpoint, String target, int paddingBytes) throws IOException {
    StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n")
        .append("Connection: close\r\n");
    if (paddingBytes > 0) {
      request.append("X-Padding: ").append("p".repeat(paddingBytes)).append("\r\n");
    }
    request.append("\r\n");
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String response = readUntilClosed(socket.getInputStream());
      int headerEnd = response.indexOf("\r\n\r\n");
      String head = headerEnd < 0 ? response : response.substring(0, headerEnd);
      return new Response(Integer.parseInt(head.split(" ")[1]), head.toLowerCase(Locale.ROOT),
          headerEnd < 0 ? "" : response.substring(headerEnd + 4));
    }
  }

  /** A target of {@code prefix} padded with 'a' to {@code length} characters. */
  public static String padded(String prefix, int length) {
    return prefix + "a".repeat(Math.max(0, length - prefix.length()));
  }

  private static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        bytes.write(buffer, 0, read);
      }
    } catch (SocketException resetAfterTheAnswer) {
      if (bytes.size() == 0) {
        throw resetAfterTheAnswer;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
