package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The caller's network as rate limits count it: API Gateway's {@code requestContext.identity.sourceIp} (the address
 * that opened the connection to API Gateway, which no header can change; {@code X-Forwarded-For} is never read), an
 * IPv4 address as it is and an IPv6 address cut to its /64, since one subscriber line, or one cloud server, gets a
 * whole /64 to pick addresses from.
 */
final class ClientNetworks {

  /** An IPv4 or IPv6 literal, never a name: {@link InetAddress#getByName} must not look anything up. */
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private ClientNetworks() {
  }

  static String of(APIGatewayProxyRequestEvent request) {
    String sourceIp = Requests.sourceIp(request);
    if (sourceIp.length() > 45 || !IP_LITERAL.matcher(sourceIp).matches()) {
      return "unknown";
    }
    try {
      InetAddress address = InetAddress.getByName(sourceIp);
      if (address instanceof Inet6Address) {
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
      }
      return address.getHostAddress();
    } catch (UnknownHostException notAnAddress) {
      return "unknown";
    }
  }
}
