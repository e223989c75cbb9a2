package dev.boxoffice.local.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a free TCP port on 127.0.0.1 for a server that is started a moment later.
 *
 * <p>Asking the kernel for port 0 returns a port from its ephemeral range, the same range it hands to every outgoing
 * connection: between the pick and the server's bind, a client socket (a PostgreSQL pool opening, an HTTP call) can
 * take that port, and the server fails with "Address already in use". A CI run lost the Redis of the local stack that
 * way. Ports here are drawn at random from below the ephemeral range, where the kernel never puts a client socket, so
 * only another server picking the same way could collide; the starts that run a child process also retry once more
 * with a new port. Within one JVM a port is handed out once: a stack picks its servers' ports before it starts them,
 * and two picks of the same still-unbound port had given the local SES and the mail inbox one port between them.
 */
public final class LoopbackPorts {

  private static final int LOWEST = 10_000;
  /** Linux's default ephemeral range starts here; macOS and Windows start at 49152. */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final Path LINUX_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int ATTEMPTS = 200;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private LoopbackPorts() {
  }

  /** A port that nothing listens on or connects from on the loopback address right now, and not handed out before. */
  public static int free() {
    int below = ephemeralStart();
    if (below - LOWEST < 1_000) {
      return kernelPick();
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (isFree(candidate) && HANDED_OUT.add(candidate)) {
        return candidate;
      }
    }
    return kernelPick();
  }

  static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }

  static int ephemeralStart() {
    try {
      // Files.readString returns only the first character of this procfs file; read as lines it is whole
      String[] range = Files.readAllLines(LINUX_RANGE).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException notLinux) {
      return DEFAULT_EPHEMERAL_START;
    }
  }

  private static int kernelPick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
