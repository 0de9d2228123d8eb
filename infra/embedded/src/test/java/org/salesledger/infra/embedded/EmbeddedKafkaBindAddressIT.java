package org.salesledger.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doors closed (ADR 0028): the embedded broker listens on loopback unless given another bind address. */
class EmbeddedKafkaBindAddressIT {

    @TempDir
    Path dir;

    @Test
    void byDefaultTheBrokerListensOnLoopbackOnly() throws Exception {
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dir.resolve("kafka"), 0)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
            connect(InetAddress.getByName("127.0.0.1"), kafka.port());
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                assertThatThrownBy(() -> connect(other.get(), kafka.port()))
                        .as("a connection to %s", other.get()).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void onEveryInterfaceTheBrokerAnswersOnAnotherAddressOfThisMachine() throws Exception {
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dir.resolve("kafka"), 0, "0.0.0.0")) {
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + kafka.port());
            connect(InetAddress.getByName("127.0.0.1"), kafka.port());
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                connect(other.get(), kafka.port());
            }
        }
    }

    private static void connect(InetAddress address, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }
}
