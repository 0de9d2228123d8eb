package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What must never be on the system's class path. This module's class path holds every other module's runtime
 * dependencies (and their test ones), so what is absent here is absent from all of them.
 */
class RuntimeClasspathTest {

    /**
     * Axon brings XStream (its default serializer, with a long history of deserialisation CVEs); every serializer of
     * ours is Jackson, so the build excludes it (ADR 0035). Were any Axon component to fall back to its
     * {@code XStreamSerializer}, it would now fail at once instead of reading XML.
     */
    @Test
    void xstreamIsOnNoClassPath() {
        assertThatThrownBy(() -> Class.forName("com.thoughtworks.xstream.XStream"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)))
                .noneMatch(entry -> entry.contains("xstream"))
                .anyMatch(entry -> entry.contains("axon-messaging"));
    }
}
