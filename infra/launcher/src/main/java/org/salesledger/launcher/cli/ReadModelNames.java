package org.salesledger.launcher.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;

/**
 * The names {@code salesledger rebuild} takes: every read model of the query side ({@link ReadModelName}, the list the
 * server rebuilds by) and {@code all}.
 */
public final class ReadModelNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(ReadModelName.ids());
        names.add(ReadModelName.ALL);
        return names;
    }
}
