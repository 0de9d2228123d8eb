package org.salesledger.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers. Asked only when a socket or {@code DOCKER_HOST} suggests one, so that machines
 * without Docker (ours and CI) do not wait for Testcontainers' discovery. {@code -Dsalesledger.test.docker=false}
 * skips it.
 */
final class Docker {

    private static Boolean answers;

    private Docker() {
    }

    static synchronized boolean answers() {
        if (answers == null) {
            answers = probe();
        }
        return answers;
    }

    private static boolean probe() {
        if ("false".equals(System.getProperty("salesledger.test.docker"))) {
            return false;
        }
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
