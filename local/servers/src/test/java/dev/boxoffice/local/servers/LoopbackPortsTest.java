package dev.boxoffice.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

  @Test
  @DisplayName("picked ports are free and lie outside the range the kernel gives to outgoing connections")
  void outsideTheEphemeralRange() throws Exception {
    List<Socket> clients = new ArrayList<>();
    Set<Integer> clientPorts = new HashSet<>();
    try (ServerSocket server = new ServerSocket(0, 300, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 200; i++) {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        clients.add(client);
        clientPorts.add(client.getLocalPort());
      }
      for (int i = 0; i < 200; i++) {
        int port = LoopbackPorts.free();
        assertThat(port).isBetween(1024, LoopbackPorts.ephemeralStart() - 1);
        assertThat(clientPorts).doesNotContain(port);
        assertThat(LoopbackPorts.isFree(port)).isTrue();
      }
      assertThat(clientPorts).allMatch(port -> port >= LoopbackPorts.ephemeralStart());
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }

  @Test
  @DisplayName("a port is handed out once, though nothing binds it: a stack picks all its ports before it starts its"
      + " servers")
  void handedOutOnce() {
    Set<Integer> picked = new HashSet<>();
    for (int pick = 0; pick < 3_000; pick++) {
      assertThat(picked.add(LoopbackPorts.free())).as("pick %d is a port not handed out before", pick).isTrue();
    }
  }

  @Test
  @DisplayName("Redis whose picked port is taken before it binds starts on the next port picked")
  void redisTriesAnotherPort() throws Exception {
    Path dataDir = Files.createTempDirectory("redis-port-taken");
    try (ServerSocket taker = new ServerSocket(LoopbackPorts.free(), 1, InetAddress.getLoopbackAddress())) {
      int freePort = LoopbackPorts.free();
      AtomicInteger picks = new AtomicInteger();
      try (LocalRedis redis = LocalRedis.startOnPickedPort(dataDir, null,
          () -> picks.getAndIncrement() == 0 ? taker.getLocalPort() : freePort)) {
        assertThat(picks).hasValue(2);
        assertThat(redis.port()).isEqualTo(freePort);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), freePort)) {
          client.getOutputStream().write("PING\r\n".getBytes());
          byte[] reply = client.getInputStream().readNBytes(7);
          assertThat(new String(reply)).isEqualTo("+PONG\r\n");
        }
      }
    }
  }
}
