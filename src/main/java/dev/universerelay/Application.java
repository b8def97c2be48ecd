package dev.universerelay;

import io.micronaut.runtime.Micronaut;

/** Entry point: starts the relay with the game client served at {@code /}. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        ShutdownSignals.install(Micronaut.run(Application.class, args));
    }
}
