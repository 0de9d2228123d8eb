package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;

/**
 * Doors closed (ADR 0028): with nothing configured, both HTTP servers listen on 127.0.0.1 only, so another machine
 * cannot reach them; {@code SALESLEDGER_BIND_ADDRESS=0.0.0.0} opens them on every interface.
 */
class BindAddressIT {

    @TempDir
    Path dataDir;

    @Test
    void byDefaultBothSidesListenOnLoopbackOnlyAndAnotherAddressOfThisMachineIsRefused() throws Exception {
        Settings settings = TestSystems.settings(dataDir);
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");

        try (EmbeddedSystem system = EmbeddedSystem.start(settings)) {
            assertThat(system.commandAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(system.queryAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(health("127.0.0.1", system.commandPort())).contains("\"UP\"");
            assertThat(health("127.0.0.1", system.queryPort())).contains("\"UP\"");

            Optional<InetAddress> other = nonLoopbackAddress();
            System.out.println("bind test: a non-loopback address of this machine: " + other);
            if (other.isPresent()) {
                assertRefused(other.get(), system.commandPort());
                assertRefused(other.get(), system.queryPort());
            }
        }
    }

    @Test
    void bindAddressZeroesOpensBothSidesOnEveryInterface() throws Exception {
        Settings settings = TestSystems.settings(dataDir).withBindAddress("0.0.0.0");

        try (EmbeddedSystem system = EmbeddedSystem.start(settings)) {
            assertThat(system.commandAddress().isAnyLocalAddress()).as("%s", system.commandAddress()).isTrue();
            assertThat(system.queryAddress().isAnyLocalAddress()).as("%s", system.queryAddress()).isTrue();
            assertThat(health("127.0.0.1", system.commandPort())).contains("\"UP\"");

            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                assertThat(health(other.get().getHostAddress(), system.commandPort())).contains("\"UP\"");
                assertThat(health(other.get().getHostAddress(), system.queryPort())).contains("\"UP\"");
            }
        }
    }

    private static void assertRefused(InetAddress address, int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 5_000);
            }
        }).as("a connection to %s:%d", address.getHostAddress(), port).isInstanceOf(ConnectException.class);
    }

    private static String health(String host, int port) throws Exception {
        return TestHttp.get(URI.create("http://" + host + ":" + port + "/actuator/health")).body();
    }

    /** An IPv4 address of an interface of this machine that is up and not loopback, if it has one. */
    static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }
}
