package org.salesledger.infra.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who owns a server's data directory: an OS file lock on {@code <dataDir>.lock} (beside the directory, which
 * initdb wants empty), held while the server runs. The OS releases it when the owner's process dies, however it
 * dies, so a lock that can be taken means no live owner: whatever runs on the directory was left by a dead one.
 * The file holds the owner's process id, for the message a second owner gets.
 */
final class OwnerLock {

    private final FileChannel channel;
    private final FileLock lock;

    private OwnerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static OwnerLock acquire(Path dataDir) throws IOException {
        // the real path: two launchers reaching one directory through different links take the same lock
        Path real = dataDir.toRealPath();
        Path file = real.resolveSibling(real.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new IllegalStateException(dataDir + " is in use by another running Sales Ledger"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": stop it first, or use another data "
                    + "directory (SALESLEDGER_DATA_DIR)");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new OwnerLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock; the OS does when the process ends
        }
    }
}
