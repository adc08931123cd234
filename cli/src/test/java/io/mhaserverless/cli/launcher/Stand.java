package io.mhaserverless.cli.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The stand-in for mha.jar's main class in the launcher tests: prints the node agent properties that
 * bin/mha gave it, then exits with its second argument.
 */
public final class Stand {

    private Stand() {
    }

    public static void main(String[] args) {
        System.out.println("agent jar: " + System.getProperty("mha.node-agent.jar"));
        System.out.println("agent archive: " + System.getProperty("mha.node-agent.archive"));
        System.exit(Integer.parseInt(args[1]));
    }

    /** A release directory as the archive unpacks it: the real bin/mha, and a stand-in lib/mha.jar. */
    static void unpackRelease(Path release) throws IOException {
        Files.createDirectories(release.resolve("bin"));
        Files.copy(Path.of("src/dist/bin/mha"), release.resolve("bin/mha"));
        release.resolve("bin/mha").toFile().setExecutable(true);
        writeJar(release.resolve("lib/mha.jar"));
    }

    /** Writes a stand-in mha.jar: this one class, as its main class. */
    static void writeJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Stand.class.getName());
        String entry = Stand.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            try (var in = Stand.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
    }
}
