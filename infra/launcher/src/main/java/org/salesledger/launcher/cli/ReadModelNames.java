package org.salesledger.launcher.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.salesledger.projections.rebuild.ReadModel;

/**
 * The names {@code salesledger rebuild} takes: every read model of the query side ({@link ReadModel}, the list the
 * server rebuilds by) and {@code all}.
 */
public final class ReadModelNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(ReadModel.ids());
        names.add(ReadModel.ALL);
        return names;
    }
}
