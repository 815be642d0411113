import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

/**
 * The dev/CI MongoDB-wire server: mongo-java-server over an H2 MVStore file.
 *
 *   java -cp '<jars>/*' dev/mongo/Launcher.java <host> <port> <data file>
 *
 * It reports MongoDB 7.0 (wire version 21): the library's own default is older
 * than current pymongo accepts. The commands we use behave the same either way
 * (docs/platform.md lists what this server does not do). SIGTERM closes the
 * store cleanly, so the data survives a restart.
 */
public final class Launcher {

    /** How long H2 keeps the file space of older versions: longer than any scan we run takes. */
    private static final int RETENTION_MS = 15 * 60 * 1000;

    /** What the hello / buildInfo answers report. */
    private enum Reported implements MongoVersion {
        MONGO_7_0;

        @Override
        public List<Integer> getVersionArray() {
            return List.of(7, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 21;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher <host> <port> <data file>");
            System.exit(2);
        }
        Path data = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(data.getParent());
        // A scan reads the collection as it was when it started. H2's background compaction moves
        // the pages of half-empty chunks and frees them, also under an open scan, which then fails
        // with "Chunk ... not found" (seen here on a scan of 1.7 million check-ins; H2 issue 4383).
        // So no compaction, and freed file space is reused only after RETENTION_MS, longer than any
        // scan takes. The file keeps some dead space instead (make clean-data wipes it).
        MVStore store = new MVStore.Builder().fileName(data.toString()).autoCompactFillRate(0).open();
        store.setRetentionTime(RETENTION_MS);
        H2Backend backend = new H2Backend(store);
        backend.version(Reported.MONGO_7_0);
        MongoServer server = new MongoServer(backend);
        server.bind(args[0], Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();  // closes the backend, which commits and closes the MVStore
        }, "shutdown"));
        System.out.println("mongo-java-server listening on " + args[0] + ":" + args[1] + ", data " + data
            + " (non-unique indexes are accepted but not used: docs/platform.md)");
        Thread.currentThread().join();
    }
}
