package io.mhaserverless.cli.launcher;

/** The stand-in for mha.jar's main class in {@link LauncherScriptTest}: exits with its second argument. */
public final class Stand {

    private Stand() {
    }

    public static void main(String[] args) {
        System.exit(Integer.parseInt(args[1]));
    }
}
