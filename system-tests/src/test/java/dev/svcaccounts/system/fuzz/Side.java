package dev.svcaccounts.system.fuzz;

/** Which application serves an operation, and the shell variable a replay script names its base URL by. */
public enum Side {
    COMMAND("COMMAND"),
    QUERY("QUERY");

    private final String urlVariable;

    Side(String urlVariable) {
        this.urlVariable = urlVariable;
    }

    public String urlVariable() {
        return urlVariable;
    }
}
