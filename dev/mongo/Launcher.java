import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

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
        H2Backend backend = new H2Backend(data.toString());
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
