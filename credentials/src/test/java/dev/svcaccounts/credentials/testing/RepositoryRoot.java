package dev.svcaccounts.credentials.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, found upwards from the folder the tests run in (Maven runs them in the module's). */
public final class RepositoryRoot {

    private RepositoryRoot() {
    }

    public static Path path() {
        Path start = Path.of("").toAbsolutePath();
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("pom.xml")) && Files.isDirectory(folder.resolve("credentials"))
                    && Files.isDirectory(folder.resolve("command-side"))) {
                return folder;
            }
        }
        throw new IllegalStateException("No repository root (with credentials/ and command-side/) above " + start);
    }
}
